import type { EntryState } from "@429chain/contracts";
import { type KeyedCommand, pipelineByNode, type RedisClient } from "@429chain/redis";
import { decodeEntryStates, planStateReads, type ReadResult } from "./entry-state";
import { createQuotaKeys, DEFAULT_KEY_PREFIX } from "./keys";
import { clearCooldownKeys } from "./store-common";
import type { EntryPolicy } from "./types";

export interface RedisStateReaderOptions {
  /** One server or a cluster: reads go to each node that holds some, in parallel. */
  redis: RedisClient;
  /** Key prefix the gateways use. Default "429chain:". */
  prefix?: string;
  now?: () => number;
}

/**
 * The read side of the Redis QuotaStore, for processes that watch the gateways' state (the
 * admin) without acquiring: no scripts, no leases, only reads and the clearCooldown delete.
 */
export interface QuotaStateReader {
  /** Live state of each entry: one pipeline of reads per node holding some. */
  entryStates(entries: readonly EntryPolicy[]): Promise<EntryState[]>;
  /** Removes cooldowns, breaker state and header windows of one entry. */
  clearCooldown(entry: Pick<EntryPolicy, "provider" | "model">): Promise<void>;
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
      const commands = reads.map((r): KeyedCommand => {
        if (r.op === "zcount") return ["zcount", r.key, `(${r.min}`, "+inf"];
        return [r.op, r.key];
      });
      const results = (await pipelineByNode(redis, commands)) as ReadResult[];
      return decodeEntryStates(entries, results, at);
    },
    // One entry's keys share its provider's hash tag: one DEL on a cluster too.
    async clearCooldown(entry) {
      await redis.del(...clearCooldownKeys(keysOf, entry));
    },
  };
}
