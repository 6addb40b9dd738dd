import { once } from "node:events";
import { createRedisClient, type RedisClient } from "@429chain/redis";
import { deleteKeys, TEST_REDIS_URL, uniquePrefix } from "@429chain/testing";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { describeQuotaStoreContract } from "./contract";
import { entry, OK, req, settleInput } from "./contract-suite/fixtures";
import { createMemoryQuotaStore } from "./memory-store";
import { createRedisQuotaStore } from "./redis-store";
import { createResilientQuotaStore } from "./resilient-store";

const E = entry("p", "m");
const clients: RedisClient[] = [];

afterEach(() => {
  for (const c of clients.splice(0)) c.disconnect();
});

async function readyClient(url: string): Promise<Redis> {
  const redis = createRedisClient(url, { role: "gateway", name: "quota-test" }) as Redis;
  clients.push(redis);
  if (redis.status !== "ready") await once(redis, "ready");
  return redis;
}

describe("resilient store contract", () => {
  let a: Redis;
  let b: Redis;
  beforeAll(async () => {
    a = createRedisClient(TEST_REDIS_URL, { role: "gateway" }) as Redis;
    b = createRedisClient(TEST_REDIS_URL, { role: "gateway" }) as Redis;
    await Promise.all([once(a, "ready"), once(b, "ready")]);
  });
  afterAll(() => {
    a.disconnect();
    b.disconnect();
  });

  describeQuotaStoreContract("resilient(redis, memory)", async (clock) => {
    const prefix = uniquePrefix("resilient-contract");
    const wrap = (redis: Redis) =>
      createResilientQuotaStore({
        primary: createRedisQuotaStore({ redis, prefix, now: clock.now }),
        fallback: createMemoryQuotaStore({ now: clock.now }),
        onError: (err) => {
          throw err;
        },
      });
    return { store: wrap(a), peer: wrap(b), cleanup: () => deleteKeys(a, prefix) };
  });
});

describe("resilient store over Redis", () => {
  it("serves from memory without throwing when Redis is unreachable", async () => {
    const errors: unknown[] = [];
    const redis = createRedisClient("redis://127.0.0.1:1", { role: "gateway" });
    clients.push(redis);
    const fallback = createMemoryQuotaStore();
    const store = createResilientQuotaStore({
      primary: createRedisQuotaStore({ redis }),
      fallback,
      onError: (e) => errors.push(e),
    });
    const acquired = await store.acquire(req([E]));
    expect(acquired.ok).toBe(true);
    expect(store.health()).toBe("degraded");
    expect(errors.length).toBeGreaterThan(0);
    expect((await store.entryStates([E]))[0]?.inFlight).toBe(1);
    if (!acquired.ok) return;
    await store.settle(acquired.lease, settleInput(OK));
    expect((await fallback.entryStates([E]))[0]?.inFlight).toBe(0);
  });

  it("degrades while the connection is down and returns to Redis once it reconnects", async () => {
    const redis = await readyClient(TEST_REDIS_URL);
    const admin = await readyClient(TEST_REDIS_URL);
    const prefix = uniquePrefix("resilient");
    const primary = createRedisQuotaStore({ redis, prefix });
    const fallback = createMemoryQuotaStore();
    const store = createResilientQuotaStore({ primary, fallback });
    try {
      expect((await store.acquire(req([E]))).ok).toBe(true);
      expect(store.health()).toBe("ok");

      // A server-side kill is a real outage: ioredis notices and reconnects on its own.
      const id = await redis.client("ID");
      const dropped = once(redis, "reconnecting");
      await admin.client("KILL", "ID", String(id));
      await dropped;
      const back = once(redis, "ready");
      const local = await store.acquire(req([E]));
      expect(local.ok).toBe(true);
      expect(store.health()).toBe("degraded");
      expect((await fallback.entryStates([E]))[0]?.inFlight).toBe(1);

      await back;
      expect((await store.acquire(req([E]))).ok).toBe(true);
      expect(store.health()).toBe("ok");
      expect((await primary.entryStates([E]))[0]?.inFlight).toBe(2);

      if (!local.ok) throw new Error("expected a local lease");
      await store.settle(local.lease, settleInput(OK));
      expect((await fallback.entryStates([E]))[0]?.inFlight).toBe(0);
      expect((await primary.entryStates([E]))[0]?.inFlight).toBe(2);
    } finally {
      await deleteKeys(admin, prefix);
    }
  });
});
