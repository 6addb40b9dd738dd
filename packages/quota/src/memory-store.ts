import { randomUUID } from "node:crypto";
import { decodeEntryStates, planStateReads, type ReadResult } from "./entry-state";
import { createQuotaKeys } from "./keys";
import { runAcquire } from "./memory/acquire";
import { MemoryKv } from "./memory/kv";
import { runSettle } from "./memory/settle";
import { planAcquire, planSettle } from "./plan";
import { clearCooldownKeys, toAcquireResult } from "./store-common";
import type { AcquireRequest, Lease, QuotaStore, SettleInput, SettleResult } from "./types";

export interface MemoryQuotaStoreOptions {
  now?: () => number;
  /** Share state between store instances (tests of cross-instance behaviour). */
  kv?: MemoryKv;
}

export { MemoryKv };

/**
 * In-process QuotaStore for the embedded mode and as the fallback while Redis is down. Runs the
 * same plans as the Redis store against an in-process twin of the Redis data structures.
 * Every method runs synchronously inside one tick, which is what makes it atomic.
 */
export function createMemoryQuotaStore(options: MemoryQuotaStoreOptions = {}): QuotaStore {
  const now = options.now ?? Date.now;
  const kv = options.kv ?? new MemoryKv(now);
  const keysOf = createQuotaKeys("");

  const acquireNow = (req: AcquireRequest) => {
    const at = now();
    const id = randomUUID();
    const plan = planAcquire(keysOf, req, id, at);
    return toAcquireResult(runAcquire(kv, plan), req, id, at, plan.spec.est);
  };
  const settleNow = (lease: Lease, input: SettleInput): SettleResult => {
    const until = runSettle(kv, planSettle(keysOf, lease, input, now()));
    return { cooldownUntil: until > 0 ? until : null };
  };

  return {
    async acquire(req) {
      return acquireNow(req);
    },
    async settle(lease, input) {
      return settleNow(lease, input);
    },
    async settleAndAcquire(lease, input, req) {
      return [settleNow(lease, input), acquireNow(req)];
    },
    // Every call is applied before it returns: nothing is ever held back.
    sent: () => Promise.resolve(),
    async entryStates(entries) {
      const at = now();
      const results: ReadResult[] = planStateReads(keysOf, entries, at).map((r) => {
        if (r.op === "hgetall") return kv.hgetall(r.key);
        if (r.op === "get") return kv.get(r.key);
        return kv.zcountAbove(r.key, r.min);
      });
      return decodeEntryStates(entries, results, at);
    },
    async clearCooldown(entry) {
      kv.del(...clearCooldownKeys(keysOf, entry));
    },
    health: () => "ok",
    async close() {},
  };
}
