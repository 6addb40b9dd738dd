import { createTestRedis, createTestRedisCluster, type TestRedis } from "@429chain/testing";
import type { Cluster } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFailClosedSpendBudgets } from "./fail-closed-spend-budgets";
import { createMemorySpendBudgets } from "./memory-spend-budgets";
import { createRedisSpendBudgets } from "./redis-spend-budgets";
import type { SpendBudgets } from "./types";

let redis: TestRedis;
let cluster: TestRedis<Cluster>;
beforeAll(async () => {
  redis = await createTestRedis("spend");
  cluster = await createTestRedisCluster("spend");
});
afterAll(async () => {
  await redis.cleanup();
  await cluster.cleanup();
});

// 2026-11-30T23:59:30Z: 30 s before a day and a month boundary.
const T0 = Date.UTC(2026, 10, 30, 23, 59, 30);
const DAY = { dailyMicros: 1_000, monthlyMicros: null };

const backends: Array<[string, (now: () => number) => SpendBudgets]> = [
  ["memory", (now) => createMemorySpendBudgets({ now })],
  [
    "redis",
    (now) =>
      createRedisSpendBudgets({
        redis: redis.redis,
        prefix: `${redis.prefix}${Math.random()}:`,
        now,
      }),
  ],
  [
    "redis cluster",
    (now) =>
      createRedisSpendBudgets({
        redis: cluster.redis,
        prefix: `${cluster.prefix}${Math.random()}:`,
        now,
      }),
  ],
];

describe.each(backends)("spend budgets (%s)", (_name, make) => {
  it("refuses a reservation that would pass the daily limit, until the next UTC day", async () => {
    let now = T0;
    const budgets = make(() => now);
    const a = await budgets.reserve("chain:c", DAY, 600);
    expect(a.ok).toBe(true);
    expect(await budgets.reserve("chain:c", DAY, 500)).toEqual({
      ok: false,
      reason: "spent",
      window: "day",
      retryAt: Date.UTC(2026, 11, 1),
    });
    // 400 more fits exactly.
    expect((await budgets.reserve("chain:c", DAY, 400)).ok).toBe(true);
    expect((await budgets.reserve("chain:c", DAY, 0)).ok).toBe(false);
    now = Date.UTC(2026, 11, 1, 0, 0, 1);
    expect((await budgets.reserve("chain:c", DAY, 900)).ok).toBe(true);
  });

  it("settles to the actual cost, giving back the unused part of a reservation", async () => {
    const budgets = make(() => T0);
    const a = await budgets.reserve("chain:s", DAY, 900);
    if (!a.ok) throw new Error("refused");
    expect((await budgets.reserve("chain:s", DAY, 200)).ok).toBe(false);
    await a.settle(100);
    expect(await budgets.spent("chain:s")).toEqual({ dayMicros: 100, monthMicros: 100 });
    expect((await budgets.reserve("chain:s", DAY, 200)).ok).toBe(true);
  });

  it("holds the monthly limit across days", async () => {
    let now = Date.UTC(2026, 10, 10);
    const budgets = make(() => now);
    const month = { dailyMicros: null, monthlyMicros: 500 };
    const a = await budgets.reserve("key:k", month, 300);
    if (a.ok) await a.settle(300);
    now = Date.UTC(2026, 10, 11);
    expect(await budgets.reserve("key:k", month, 300)).toMatchObject({
      ok: false,
      window: "month",
      retryAt: Date.UTC(2026, 11, 1),
    });
  });

  it("never passes the limit under parallel reservations", async () => {
    const budgets = make(() => T0);
    const all = await Promise.all(
      Array.from({ length: 20 }, () => budgets.reserve("chain:par", DAY, 300)),
    );
    expect(all.filter((r) => r.ok)).toHaveLength(3);
    expect((await budgets.spent("chain:par")).dayMicros).toBe(900);
  });

  it("counts scopes separately", async () => {
    const budgets = make(() => T0);
    expect((await budgets.reserve("chain:a", DAY, 1_000)).ok).toBe(true);
    expect((await budgets.reserve("chain:b", DAY, 1_000)).ok).toBe(true);
  });
});

it("shares the budget across two Redis clients (replicas)", async () => {
  const other = await createTestRedis("spend2");
  try {
    const prefix = `${redis.prefix}shared:`;
    const a = createRedisSpendBudgets({ redis: redis.redis, prefix, now: () => T0 });
    const b = createRedisSpendBudgets({ redis: other.redis, prefix, now: () => T0 });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).reserve("chain:x", DAY, 100)),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(10);
  } finally {
    await other.cleanup();
  }
});

it("fails closed: refuses while the store is degraded or erring", async () => {
  let health: "ok" | "degraded" = "degraded";
  const errors: unknown[] = [];
  const failing: SpendBudgets = {
    reserve: async () => {
      throw new Error("Command timed out");
    },
    spent: async () => ({ dayMicros: 0, monthMicros: 0 }),
  };
  const budgets = createFailClosedSpendBudgets({
    primary: failing,
    health: () => health,
    onError: (e) => errors.push(e),
  });
  const refused = { ok: false, reason: "unavailable", window: null, retryAt: null };
  expect(await budgets.reserve("chain:c", DAY, 1)).toEqual(refused);
  expect(errors).toHaveLength(0);
  health = "ok";
  expect(await budgets.reserve("chain:c", DAY, 1)).toEqual(refused);
  expect(errors).toHaveLength(1);
});
