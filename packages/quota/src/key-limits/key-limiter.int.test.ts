import { createTestRedis, createTestRedisCluster, type TestRedis } from "@429chain/testing";
import type { Cluster } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryKeyLimiter } from "./memory-key-limiter";
import { createRedisKeyLimiter } from "./redis-key-limiter";
import type { ClientKeyLimits, KeyLimiter } from "./types";

let redis: TestRedis;
let cluster: TestRedis<Cluster>;
beforeAll(async () => {
  redis = await createTestRedis("keylimits");
  cluster = await createTestRedisCluster("keylimits");
});
afterAll(async () => {
  await redis.cleanup();
  await cluster.cleanup();
});

// 2026-11-21T23:59:30Z: 30 s before a minute, day and (not) month boundary.
const T0 = Date.UTC(2026, 10, 21, 23, 59, 30);

const backends: Array<[string, (now: () => number) => KeyLimiter]> = [
  ["memory", (now) => createMemoryKeyLimiter({ now })],
  [
    "redis",
    (now) =>
      createRedisKeyLimiter({
        redis: redis.redis,
        prefix: `${redis.prefix}${Math.random()}:`,
        now,
      }),
  ],
  [
    "redis cluster",
    (now) =>
      createRedisKeyLimiter({
        redis: cluster.redis,
        prefix: `${cluster.prefix}${Math.random()}:`,
        now,
      }),
  ],
];

describe.each(backends)("key limiter (%s)", (_name, make) => {
  const key = (over: Partial<ClientKeyLimits>): ClientKeyLimits => ({
    id: "key-1",
    rpm: null,
    dailyTokens: null,
    monthlyTokens: null,
    ...over,
  });

  /** Admits a request that ends having used `used` tokens. */
  async function use(limiter: KeyLimiter, k: ClientKeyLimits, used: number, estimate = 0) {
    const admission = await limiter.admit(k, estimate);
    if (!admission.ok) throw new Error(`refused: ${admission.reason}`);
    await admission.settle(used);
  }

  it("admits up to rpm requests per UTC minute, then says when the minute ends", async () => {
    let now = T0;
    const limiter = make(() => now);
    const k = key({ rpm: 2 });
    expect((await limiter.admit(k, 0)).ok).toBe(true);
    expect((await limiter.admit(k, 0)).ok).toBe(true);
    expect(await limiter.admit(k, 0)).toEqual({
      ok: false,
      reason: "rate_limited",
      retryAt: T0 + 30_000,
    });
    now = T0 + 30_000;
    expect((await limiter.admit(k, 0)).ok).toBe(true);
  });

  it("refuses once the daily budget is used, until the next UTC day", async () => {
    let now = T0;
    const limiter = make(() => now);
    const k = key({ id: "key-2", dailyTokens: 100 });
    await use(limiter, k, 60);
    await use(limiter, k, 40);
    expect(await limiter.admit(k, 0)).toEqual({
      ok: false,
      reason: "budget_exceeded",
      retryAt: Date.UTC(2026, 10, 22),
    });
    now = Date.UTC(2026, 10, 22, 0, 0, 1);
    expect((await limiter.admit(k, 0)).ok).toBe(true);
  });

  it("refuses once the monthly budget is used, until the first of next month", async () => {
    const limiter = make(() => T0);
    const k = key({ id: "key-3", monthlyTokens: 10 });
    await use(limiter, k, 10);
    expect(await limiter.admit(k, 0)).toEqual({
      ok: false,
      reason: "budget_exceeded",
      retryAt: Date.UTC(2026, 11, 1),
    });
  });

  it("holds the budget under parallel requests: each admission reserves its estimate", async () => {
    const limiter = make(() => T0);
    const k = key({ id: "key-par", dailyTokens: 100 });
    const admissions = await Promise.all(Array.from({ length: 10 }, () => limiter.admit(k, 30)));
    // 0, 30, 60 and 90 are below the budget when each asks; the other six see it spent.
    expect(admissions.filter((a) => a.ok)).toHaveLength(4);
  });

  it("gives back what a request reserved but did not use", async () => {
    const limiter = make(() => T0);
    const k = key({ id: "key-back", dailyTokens: 100 });
    const first = await limiter.admit(k, 100);
    expect(first.ok).toBe(true);
    expect((await limiter.admit(k, 10)).ok).toBe(false);
    if (first.ok) await first.settle(5);
    expect((await limiter.admit(k, 10)).ok).toBe(true);
  });

  it("never reserves more than the budget, however large the estimate", async () => {
    const limiter = make(() => T0);
    const k = key({ id: "key-huge", dailyTokens: 1_000 });
    const huge = await limiter.admit(k, Number.MAX_SAFE_INTEGER);
    expect(huge.ok).toBe(true);
    if (huge.ok) await huge.settle(10);
    // Reconciled to the 10 tokens used: the rest of the day's budget is there.
    expect((await limiter.admit(k, 500)).ok).toBe(true);
  });

  it("counts keys separately", async () => {
    const limiter = make(() => T0);
    expect((await limiter.admit(key({ id: "a", rpm: 1 }), 0)).ok).toBe(true);
    expect((await limiter.admit(key({ id: "b", rpm: 1 }), 0)).ok).toBe(true);
  });
});

it("shares the rate window across two Redis clients (replicas)", async () => {
  const other = await createTestRedis("keylimits2");
  try {
    const prefix = `${redis.prefix}shared:`;
    const a = createRedisKeyLimiter({ redis: redis.redis, prefix, now: () => T0 });
    const b = createRedisKeyLimiter({ redis: other.redis, prefix, now: () => T0 });
    const k = { id: "shared", rpm: 5, dailyTokens: null, monthlyTokens: null };
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).admit(k, 0)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(5);
  } finally {
    await other.cleanup();
  }
});
