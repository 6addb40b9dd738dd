import { once } from "node:events";
import { createRedisClient } from "@429chain/redis";
import { createTestRedis, TEST_REDIS_URL, type TestRedis } from "@429chain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { affinityKey } from "./affinity-key";
import type { AffinityStore } from "./affinity-store";
import { createMemoryAffinityStore } from "./memory-affinity-store";
import { createRedisAffinityStore } from "./redis-affinity-store";
import { createResilientAffinityStore } from "./resilient-affinity-store";

let redis: TestRedis;
beforeAll(async () => {
  redis = await createTestRedis("affinity");
});
afterAll(async () => {
  await redis.cleanup();
});

const HOUR = 3_600_000;

const backends: Array<[string, () => AffinityStore]> = [
  ["memory", () => createMemoryAffinityStore()],
  [
    "redis",
    () =>
      createRedisAffinityStore({ redis: redis.redis, prefix: `${redis.prefix}${Math.random()}:` }),
  ],
];

describe.each(backends)("affinity store (%s)", (_name, make) => {
  it("knows no entry for a conversation it was never told about", async () => {
    expect(await make().recall("c1", HOUR)).toBeNull();
  });

  it("recalls the entry remembered last for each conversation, separately", async () => {
    const store = make();
    await store.remember("c1", "a/m", HOUR);
    await store.remember("c2", "b/m", HOUR);
    await store.remember("c1", "c/m", HOUR);
    expect(await store.recall("c1", HOUR)).toBe("c/m");
    expect(await store.recall("c2", HOUR)).toBe("b/m");
  });
});

describe("memory affinity store", () => {
  it("forgets a conversation idle for its TTL; each recall renews it", async () => {
    let now = 0;
    const store = createMemoryAffinityStore({ now: () => now });
    await store.remember("c", "a/m", 1_000);
    now = 900;
    expect(await store.recall("c", 1_000)).toBe("a/m");
    now = 1_800;
    expect(await store.recall("c", 1_000)).toBe("a/m");
    now = 2_800;
    expect(await store.recall("c", 1_000)).toBeNull();
  });

  it("keeps at most maxConversations, dropping the least recently used", async () => {
    const store = createMemoryAffinityStore({ maxConversations: 2 });
    await store.remember("old", "a/m", HOUR);
    await store.remember("used", "b/m", HOUR);
    expect(await store.recall("old", HOUR)).toBe("a/m");
    await store.remember("new", "c/m", HOUR);
    expect(await store.recall("used", HOUR)).toBeNull();
    expect(await store.recall("old", HOUR)).toBe("a/m");
    expect(await store.recall("new", HOUR)).toBe("c/m");
  });
});

describe("redis affinity store", () => {
  it("stores one key per conversation with the TTL, and a recall renews it", async () => {
    const prefix = `${redis.prefix}ttl:`;
    const store = createRedisAffinityStore({ redis: redis.redis, prefix });
    await store.remember("c", "a/m", 5_000);
    const key = affinityKey(prefix, "c");
    expect(await redis.redis.get(key)).toBe("a/m");
    expect(await redis.redis.pttl(key)).toBeLessThanOrEqual(5_000);
    expect(await store.recall("c", HOUR)).toBe("a/m");
    expect(await redis.redis.pttl(key)).toBeGreaterThan(5_000);
  });

  it("shares conversations between two Redis clients (replicas)", async () => {
    const other = await createTestRedis("affinity2");
    try {
      const prefix = `${redis.prefix}shared:`;
      await createRedisAffinityStore({ redis: redis.redis, prefix }).remember("c", "b/m", HOUR);
      const peer = createRedisAffinityStore({ redis: other.redis, prefix });
      expect(await peer.recall("c", HOUR)).toBe("b/m");
    } finally {
      await other.cleanup();
    }
  });
});

describe("resilient affinity store", () => {
  it("never throws while Redis is unreachable: it serves this replica's own memory", async () => {
    const errors: unknown[] = [];
    const down = createRedisClient("redis://127.0.0.1:1", { role: "gateway" });
    try {
      const store = createResilientAffinityStore({
        primary: createRedisAffinityStore({ redis: down }),
        fallback: createMemoryAffinityStore(),
        primaryHealth: () => (down.status === "ready" ? "ok" : "degraded"),
        onError: (err) => errors.push(err),
      });
      expect(await store.recall("c", HOUR)).toBeNull();
      await store.remember("c", "a/m", HOUR);
      expect(await store.recall("c", HOUR)).toBe("a/m");
      expect(errors.length).toBeGreaterThan(0);
    } finally {
      down.disconnect();
    }
  });

  it("uses Redis while it answers", async () => {
    const client = createRedisClient(TEST_REDIS_URL, { role: "gateway" });
    try {
      if (client.status !== "ready") await once(client, "ready");
      const prefix = `${redis.prefix}resilient:`;
      const store = createResilientAffinityStore({
        primary: createRedisAffinityStore({ redis: client, prefix }),
        fallback: createMemoryAffinityStore(),
        primaryHealth: () => (client.status === "ready" ? "ok" : "degraded"),
        onError: (err) => {
          throw err;
        },
      });
      await store.remember("c", "a/m", HOUR);
      expect(await redis.redis.get(affinityKey(prefix, "c"))).toBe("a/m");
    } finally {
      client.disconnect();
    }
  });
});
