import type { QuotaStore } from "@429chain/quota";
import type { Counter } from "prom-client";

/**
 * Counts calls to the quota store by operation. Each call is one round trip to Redis (the
 * quota package's own tests assert that), so this is the round-trip count the benchmarks read.
 */
export function countRoundTrips(store: QuotaStore, counter: Counter<"op">): QuotaStore {
  return {
    acquire: (req) => {
      counter.inc({ op: "acquire" });
      return store.acquire(req);
    },
    settle: (lease, input) => {
      counter.inc({ op: "settle" });
      return store.settle(lease, input);
    },
    settleAndAcquire: (lease, input, req) => {
      counter.inc({ op: "settle_and_acquire" });
      return store.settleAndAcquire(lease, input, req);
    },
    entryStates: (entries) => {
      counter.inc({ op: "entry_states" });
      return store.entryStates(entries);
    },
    clearCooldown: (entry) => store.clearCooldown(entry),
    health: () => store.health(),
    close: () => store.close(),
  };
}
