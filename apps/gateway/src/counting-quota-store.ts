import type { QuotaStore } from "@429chain/quota";
import type { Counter } from "prom-client";

/**
 * Counts calls to the quota store by operation. Each call is one round trip to Redis (the
 * quota package's own tests assert that), so this is the round-trip count the benchmarks read.
 */
export function countRoundTrips(store: QuotaStore, counter: Counter<"op">): QuotaStore {
  const op = {
    acquire: counter.labels("acquire"),
    settle: counter.labels("settle"),
    settleAndAcquire: counter.labels("settle_and_acquire"),
    entryStates: counter.labels("entry_states"),
  };
  return {
    acquire: (req) => {
      op.acquire.inc();
      return store.acquire(req);
    },
    settle: (lease, input) => {
      op.settle.inc();
      return store.settle(lease, input);
    },
    settleAndAcquire: (lease, input, req) => {
      op.settleAndAcquire.inc();
      return store.settleAndAcquire(lease, input, req);
    },
    entryStates: (entries) => {
      op.entryStates.inc();
      return store.entryStates(entries);
    },
    sent: () => store.sent(),
    clearCooldown: (entry) => store.clearCooldown(entry),
    health: () => store.health(),
    close: () => store.close(),
  };
}
