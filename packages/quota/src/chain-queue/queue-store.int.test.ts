import {
  createTestRedis,
  createTestRedisCluster,
  type TestRedis,
  waitFor,
} from "@429chain/testing";
import type { Cluster, Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryQueueStore } from "./memory-queue-store";
import { readQueueStats } from "./read-queue-stats";
import { createRedisQueueStore } from "./redis-queue-store";
import { newTicket, type QueueMessage, type QueueStore } from "./types";

let single: TestRedis;
let cluster: TestRedis<Cluster>;
const closers: Array<() => Promise<void> | void> = [];

beforeAll(async () => {
  single = await createTestRedis("queue-store");
  cluster = await createTestRedisCluster("queue-store-cluster");
});

afterAll(async () => {
  for (const close of closers) await close();
  await single.cleanup();
  await cluster.cleanup();
});

/** Two replicas' views of one store: what one does, the other hears. */
type Pair = () => Promise<[QueueStore, QueueStore]>;

async function redisPair(main: TestRedis | TestRedis<Cluster>, n: number) {
  const stores: QueueStore[] = [];
  for (let i = 0; i < 2; i++) {
    const subscriber = (main.redis as Redis).duplicate();
    closers.push(() => subscriber.disconnect());
    const store = createRedisQueueStore({
      redis: main.redis,
      subscriber,
      prefix: `${main.prefix}${n}:`,
    });
    stores.push(store);
  }
  // Subscriptions are live once a published message arrives.
  const [a, b] = stores as [QueueStore, QueueStore];
  const heard: QueueMessage[] = [];
  b.subscribe((m) => heard.push(m));
  await waitFor(
    async () => {
      await a.wakeHead("warmup");
      await a.join("warmup", "x", 1);
      await a.leave("warmup", "x");
      return heard.length > 0;
    },
    { timeoutMs: 5_000 },
  );
  return [a, b] as [QueueStore, QueueStore];
}

let n = 0;
const pairs: Array<[string, Pair]> = [
  [
    "memory",
    async () => {
      const store = createMemoryQueueStore();
      return [store, store];
    },
  ],
  ["redis", () => redisPair(single, ++n)],
  ["redis cluster", () => redisPair(cluster, ++n)],
];

describe.each(pairs)("queue store: %s", (_name, pair) => {
  it("keeps one FIFO across replicas, bounded, and tells the new head", async () => {
    const [a, b] = await pair();
    const heard: QueueMessage[] = [];
    b.subscribe((m) => {
      if (m.queue === "chain:c") heard.push(m);
    });
    const t1 = newTicket(Date.now() - 5_000, "1");
    const t2 = newTicket(Date.now(), "2");
    const first = await a.join("chain:c", t1, 2);
    const second = await b.join("chain:c", t2, 2);
    expect(first).toMatchObject({ ok: true, rank: 0, depth: 1 });
    expect(second).toMatchObject({ ok: true, rank: 1, depth: 2 });
    if (!first.ok || !second.ok) throw new Error("not joined");
    expect(second.number).toBe(first.number + 1);
    expect(await a.join("chain:c", newTicket(Date.now(), "3"), 2)).toEqual({ ok: false, depth: 2 });
    const stats = await b.stats("chain:c");
    expect(stats.depth).toBe(2);
    expect(Date.now() - (stats.oldestAt ?? 0)).toBeGreaterThanOrEqual(5_000);

    await b.leave("chain:c", t1);
    expect(await a.rank("chain:c", t2)).toBe(0);
    await waitFor(() => heard.some((m) => m.head === t2 && m.depth === 1));

    await a.wakeHead("chain:c");
    await waitFor(() => heard.some((m) => m.run.includes(t2)));
    await a.leave("chain:c", t2);
    expect(await a.rank("chain:c", t2)).toBeNull();
    expect((await a.stats("chain:c")).depth).toBe(0);
  });

  it("wakes the ticket behind one that got served", async () => {
    const [a, b] = await pair();
    const heard: QueueMessage[] = [];
    b.subscribe((m) => {
      if (m.queue === "chain:w") heard.push(m);
    });
    const tickets = ["1", "2", "3"].map((u) => newTicket(Date.now(), u));
    for (const t of tickets) await a.join("chain:w", t, 10);
    await a.wakeAfter("chain:w", tickets[0] as string);
    await waitFor(() => heard.some((m) => m.run.length > 0));
    expect(heard.find((m) => m.run.length > 0)?.run).toEqual([tickets[1]]);
  });
});

describe.each([
  ["one Redis", () => single],
  ["a Redis Cluster", () => cluster],
] as const)("readQueueStats on %s", (_name, main) => {
  it("reads the depth and the oldest waiter the gateways' store keeps", async () => {
    const redis = main();
    const prefix = `${redis.prefix}stats${n++}:`;
    const subscriber = (redis.redis as Redis).duplicate();
    closers.push(() => subscriber.disconnect());
    const store = createRedisQueueStore({ redis: redis.redis, subscriber, prefix });
    expect(await readQueueStats(redis.redis, "chain:c", prefix)).toEqual({
      depth: 0,
      oldestAt: null,
    });
    await store.join("chain:c", newTicket(1_000, "a"), 10);
    await store.join("chain:c", newTicket(2_000, "b"), 10);
    expect(await readQueueStats(redis.redis, "chain:c", prefix)).toEqual({
      depth: 2,
      oldestAt: 1_000,
    });
  });
});
