import { createTestRedis, type TestRedis } from "@429chain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryKeyLimiter } from "./memory-key-limiter";
import { createRedisKeyLimiter } from "./redis-key-limiter";
import type { ClientKeyLimits, KeyLimiter } from "./types";

let redis: TestRedis;
beforeAll(async () => {
  redis = await createTestRedis("keylimits");
});
afterAll(async () => {
  await redis.cleanup();
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
];

describe.each(backends)("key limiter (%s)", (_name, make) => {
  const key = (over: Partial<ClientKeyLimits>): ClientKeyLimits => ({
    id: "key-1",
    rpm: null,
    dailyTokens: null,
    monthlyTokens: null,
    ...over,
  });

  it("admits up to rpm requests per UTC minute, then says when the minute ends", async () => {
    let now = T0;
    const limiter = make(() => now);
    const k = key({ rpm: 2 });
    expect(await limiter.admit(k)).toEqual({ ok: true });
    expect(await limiter.admit(k)).toEqual({ ok: true });
    expect(await limiter.admit(k)).toEqual({
      ok: false,
      reason: "rate_limited",
      retryAt: T0 + 30_000,
    });
    now = T0 + 30_000;
    expect(await limiter.admit(k)).toEqual({ ok: true });
  });

  it("refuses once the daily budget is used, until the next UTC day", async () => {
    let now = T0;
    const limiter = make(() => now);
    const k = key({ id: "key-2", dailyTokens: 100 });
    await limiter.record(k, 60);
    expect(await limiter.admit(k)).toEqual({ ok: true });
    await limiter.record(k, 40);
    expect(await limiter.admit(k)).toEqual({
      ok: false,
      reason: "budget_exceeded",
      retryAt: Date.UTC(2026, 10, 22),
    });
    now = Date.UTC(2026, 10, 22, 0, 0, 1);
    expect(await limiter.admit(k)).toEqual({ ok: true });
  });

  it("refuses once the monthly budget is used, until the first of next month", async () => {
    const limiter = make(() => T0);
    const k = key({ id: "key-3", monthlyTokens: 10 });
    await limiter.record(k, 10);
    expect(await limiter.admit(k)).toEqual({
      ok: false,
      reason: "budget_exceeded",
      retryAt: Date.UTC(2026, 11, 1),
    });
  });

  it("counts keys separately", async () => {
    const limiter = make(() => T0);
    expect(await limiter.admit(key({ id: "a", rpm: 1 }))).toEqual({ ok: true });
    expect(await limiter.admit(key({ id: "b", rpm: 1 }))).toEqual({ ok: true });
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
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).admit(k)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(5);
  } finally {
    await other.cleanup();
  }
});
