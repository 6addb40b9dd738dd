import { keySlot } from "@429chain/redis";
import { createTestRedisCluster, scanKeys, type TestRedis } from "@429chain/testing";
import type { Cluster } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeQuotaStoreContract } from "./contract";
import { entry, leaseOf, OK, rateLimited, req, settleInput } from "./contract-suite/fixtures";
import { createRedisQuotaStore } from "./redis-store";
import type { AcquireResult } from "./types";

let main: TestRedis<Cluster>;
let second: Cluster;
let n = 0;

beforeAll(async () => {
  main = await createTestRedisCluster("quota-cluster");
  second = main.redis.duplicate();
  await second.connect();
});

afterAll(async () => {
  second.disconnect();
  await main.cleanup();
});

describeQuotaStoreContract("redis cluster", async (clock) => {
  n += 1;
  const prefix = `${main.prefix}${n}:`;
  return {
    store: createRedisQuotaStore({ redis: main.redis, prefix, now: clock.now }),
    peer: createRedisQuotaStore({ redis: second, prefix, now: clock.now }),
    cleanup: async () => {},
  };
});

const okCount = (results: AcquireResult[]) => results.filter((r) => r.ok).length;

/** The node that serves a provider's slot. */
const nodeOf = (provider: string) => main.redis.slots[keySlot(`{p:${provider}}`)]?.join(",");

/** Providers whose state lives on three different nodes. */
let SPREAD: string[] = [];
beforeAll(() => {
  SPREAD = [];
  for (const p of ["a", "b", "c", "d", "e", "f", "g", "h"]) {
    if (SPREAD.length < 3 && !SPREAD.some((q) => nodeOf(q) === nodeOf(p))) SPREAD.push(p);
  }
});

describe("redis cluster store", () => {
  it("spreads providers over the shards and keeps each provider's keys in one slot", async () => {
    expect(SPREAD).toHaveLength(3);
    const prefix = `${main.prefix}layout:`;
    const store = createRedisQuotaStore({ redis: main.redis, prefix });
    for (const provider of SPREAD) {
      const e = entry(provider, "org/m:free", {
        headerScope: "provider",
        providerLimits: { requestsPerMinute: 100, concurrentRequests: 5 },
        modelLimits: { tokensPerDay: 10_000 },
      });
      const lease = leaseOf(await store.acquire(req([e], 10)));
      await store.settle(
        lease,
        settleInput(rateLimited("entry"), {
          windows: [{ name: "req", unit: "requests", remaining: 5, resetAt: Date.now() + 9_000 }],
        }),
      );
    }
    const keys = await scanKeys(main.redis, prefix);
    const slots = new Map<string, Set<number>>();
    for (const key of keys) {
      const provider = /\{p:([^}]+)\}/.exec(key)?.[1] ?? "";
      slots.set(provider, (slots.get(provider) ?? new Set()).add(keySlot(key)));
    }
    expect([...slots.keys()].sort()).toEqual([...SPREAD].sort());
    for (const s of slots.values()) expect(s.size).toBe(1);
    expect(new Set(SPREAD.map(nodeOf)).size).toBe(3);
  });

  it("50 concurrent acquires over two clients never overshoot a manual limit", async () => {
    const prefix = `${main.prefix}manual:`;
    const stores = [main.redis, second].map((redis) => createRedisQuotaStore({ redis, prefix }));
    const e = entry("p", "m", { modelLimits: { requestsPerMinute: 5 } });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => stores[i % 2]!.acquire(req([e]))),
    );
    expect(okCount(results)).toBe(5);
  });
});

describe("redis cluster store round trips", () => {
  /** The script commands `fn` sends, and how many were sent before its first reply came. */
  async function countScripts(fn: () => Promise<unknown>) {
    const send = main.redis.sendCommand;
    const commands: string[] = [];
    let beforeFirstReply: number | null = null;
    main.redis.sendCommand = (command, ...rest) => {
      if (/^eval/.test(command.name)) commands.push(command.name);
      const reply = send.call(main.redis, command, ...rest);
      command.promise.finally(() => {
        beforeFirstReply ??= commands.length;
      });
      return reply;
    };
    try {
      await fn();
    } finally {
      main.redis.sendCommand = send;
    }
    return { commands: commands.length, beforeFirstReply };
  }

  it("one script when the first provider serves, one more per provider skipped", async () => {
    const [p, q] = SPREAD as [string, string];
    const store = createRedisQuotaStore({ redis: main.redis, prefix: `${main.prefix}rt:` });
    const p1 = entry(p, "m1");
    const p2 = entry(p, "m2");
    const chain = [p1, p2, entry(q, "m")];
    // Warm: each node has loaded the scripts (EVALSHA then answers without a second EVAL).
    for (const e of chain)
      await store.settle(leaseOf(await store.acquire(req([e]))), settleInput(OK));

    let first = null as unknown as AcquireResult;
    const common = await countScripts(async () => {
      first = await store.acquire(req(chain));
    });
    expect(common.commands).toBe(1);
    expect(leaseOf(first).index).toBe(0);

    // Both entries of provider p are one script: p's cooldown skips them together.
    const settle = await countScripts(() =>
      store.settle(leaseOf(first), settleInput(rateLimited("provider", Date.now() + 60_000))),
    );
    expect(settle.commands).toBe(1);
    let next = null as unknown as AcquireResult;
    const skipping = await countScripts(async () => {
      next = await store.acquire(req(chain));
    });
    expect(skipping.commands).toBe(2);
    expect(leaseOf(next).index).toBe(2);
    expect(next.skipped.map((s) => [s.index, s.reason])).toEqual([
      [0, "cooldown"],
      [1, "cooldown"],
    ]);

    // Settle of one provider and acquire of another are both sent before either answers.
    const both = await countScripts(async () => {
      const [, again] = await store.settleAndAcquire(
        leaseOf(next),
        settleInput(OK),
        req([chain[2]!]),
      );
      expect(again.ok).toBe(true);
    });
    expect(both).toEqual({ commands: 2, beforeFirstReply: 2 });
  });
});
