import { describeQuotaStoreContract } from "./contract";
import { createMemoryQuotaStore, MemoryKv } from "./memory-store";

describeQuotaStoreContract("memory", async (clock) => {
  const kv = new MemoryKv(clock.now);
  return {
    store: createMemoryQuotaStore({ now: clock.now, kv }),
    peer: createMemoryQuotaStore({ now: clock.now, kv }),
    cleanup: async () => {},
  };
});
