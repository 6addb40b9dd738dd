import type { EntryState } from "@429chain/contracts";
import type { ChainableCommander, Redis } from "ioredis";
import { decodeEntryStates, planStateReads, type ReadResult } from "./entry-state";
import { createQuotaKeys, DEFAULT_KEY_PREFIX } from "./keys";
import { clearCooldownKeys } from "./store-common";
import type { EntryPolicy } from "./types";

export interface RedisStateReaderOptions {
  redis: Redis;
  /** Key prefix the gateways use. Default "429chain:". */
  prefix?: string;
  now?: () => number;
}

/**
 * The read side of the Redis QuotaStore, for processes that watch the gateways' state (the
 * admin) without acquiring: no scripts, no leases, only reads and the clearCooldown delete.
 */
export interface QuotaStateReader {
  /** Live state of each entry, in one pipeline of reads. */
  entryStates(entries: readonly EntryPolicy[]): Promise<EntryState[]>;
  /** Removes cooldowns, breaker state and header windows of one entry. */
  clearCooldown(entry: Pick<EntryPolicy, "provider" | "model">): Promise<void>;
}

/** Pipeline replies are [err, value] pairs; a failed command must reject the whole call. */
export function unwrapPipeline(results: [Error | null, unknown][] | null): unknown[] {
  if (!results) throw new Error("redis pipeline returned no results");
  return results.map(([err, value]) => {
    if (err) throw err;
    return value;
  });
}

export function createRedisStateReader(options: RedisStateReaderOptions): QuotaStateReader {
  const { redis } = options;
  const now = options.now ?? Date.now;
  const keysOf = createQuotaKeys(options.prefix ?? DEFAULT_KEY_PREFIX);
  return {
    async entryStates(entries) {
      const at = now();
      const reads = planStateReads(keysOf, entries, at);
      if (reads.length === 0) return [];
      const pipeline: ChainableCommander = redis.pipeline();
      for (const r of reads) {
        if (r.op === "hgetall") pipeline.hgetall(r.key);
        else if (r.op === "get") pipeline.get(r.key);
        else pipeline.zcount(r.key, `(${r.min}`, "+inf");
      }
      const results = unwrapPipeline(await pipeline.exec()) as ReadResult[];
      return decodeEntryStates(entries, results, at);
    },
    async clearCooldown(entry) {
      await redis.del(...clearCooldownKeys(keysOf, entry));
    },
  };
}
