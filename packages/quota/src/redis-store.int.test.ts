import { createTestRedis, deleteKeys, type TestRedis } from "@429chain/testing";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeQuotaStoreContract } from "./contract";
import { entry, OK, req, settleInput } from "./contract-suite/fixtures";
import { createRedisQuotaStore } from "./redis-store";
import type { AcquireResult } from "./types";

let main: TestRedis;
let second: Redis;
let n = 0;

beforeAll(async () => {
  main = await createTestRedis("quota-store");
  second = main.redis.duplicate();
});

afterAll(async () => {
  second.disconnect();
  await main.cleanup();
});

describeQuotaStoreContract("redis", async (clock) => {
  n += 1;
  const prefix = `${main.prefix}${n}:`;
  return {
    store: createRedisQuotaStore({ redis: main.redis, prefix, now: clock.now }),
    peer: createRedisQuotaStore({ redis: second, prefix, now: clock.now }),
    cleanup: () => deleteKeys(main.redis, prefix),
  };
});

function twoReplicas(label: string) {
  const prefix = `${main.prefix}${label}:`;
  return [
    createRedisQuotaStore({ redis: main.redis, prefix }),
    createRedisQuotaStore({ redis: second, prefix }),
  ] as const;
}

const okCount = (results: AcquireResult[]) => results.filter((r) => r.ok).length;

describe("redis store under concurrency", () => {
  it("50 concurrent acquires over two clients never overshoot a manual limit", async () => {
    const stores = twoReplicas("manual");
    const e = entry("p", "m", { modelLimits: { requestsPerMinute: 5 } });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => stores[i % 2]!.acquire(req([e]))),
    );
    expect(okCount(results)).toBe(5);
  });

  it("50 concurrent acquires over two clients take a header remaining of 1 exactly once", async () => {
    const [a, b] = twoReplicas("header");
    const e = entry("p", "m");
    const first = await a.acquire(req([e]));
    if (!first.ok) throw new Error("first acquire failed");
    await a.settle(
      first.lease,
      settleInput(OK, {
        windows: [
          { name: "requests", unit: "requests", remaining: 1, resetAt: Date.now() + 60_000 },
        ],
      }),
    );
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).acquire(req([e]))),
    );
    expect(okCount(results)).toBe(1);
  });
});

describe("redis store round trips", () => {
  /** Counts socket writes (round trips) and commands sent while `fn` runs. */
  async function countTraffic(redis: Redis, fn: () => Promise<unknown>) {
    const stream = (redis as unknown as { stream: { write: (...a: unknown[]) => boolean } }).stream;
    const write = stream.write;
    const send = redis.sendCommand;
    let writes = 0;
    const commands: string[] = [];
    stream.write = (...args) => {
      writes += 1;
      return write.apply(stream, args);
    };
    redis.sendCommand = (command, ...rest) => {
      commands.push(command.name);
      return send.call(redis, command, ...rest);
    };
    try {
      await fn();
    } finally {
      stream.write = write;
      redis.sendCommand = send;
    }
    return { writes, commands };
  }

  it("acquire, settle and settleAndAcquire are one round trip each", async () => {
    const store = createRedisQuotaStore({ redis: main.redis, prefix: `${main.prefix}rt:` });
    const e = entry("p:x", "org/model:free", {
      providerLimits: { requestsPerMinute: 100, concurrentRequests: 10 },
      modelLimits: { tokensPerMinute: 10_000, requestsPerDay: 1_000 },
    });
    const chain = [entry("a", "b"), e];
    let lease = null as unknown as Extract<AcquireResult, { ok: true }>["lease"];
    const acquire = await countTraffic(main.redis, async () => {
      const r = await store.acquire(req(chain, 100));
      if (!r.ok) throw new Error("acquire failed");
      lease = r.lease;
    });
    expect(acquire).toEqual({ writes: 1, commands: [expect.stringMatching(/^eval/)] });

    const settle = await countTraffic(main.redis, () =>
      store.settle(lease, settleInput(OK, { tokensUsed: 50 })),
    );
    expect(settle.writes).toBe(1);
    expect(settle.commands).toHaveLength(1);

    const both = await countTraffic(main.redis, async () => {
      const [, next] = await store.settleAndAcquire(lease, settleInput(OK), req(chain));
      expect(next.ok).toBe(true);
    });
    expect(both.writes).toBe(1);
    expect(both.commands).toHaveLength(2);

    const states = await countTraffic(main.redis, () => store.entryStates(chain));
    expect(states.writes).toBe(1);
  });

  it("keys carry the prefix, encode ':' and '/', and all expire", async () => {
    const prefix = `${main.prefix}ttl:`;
    const store = createRedisQuotaStore({ redis: main.redis, prefix });
    const e = entry("p", "org/model:free", { modelLimits: { tokensPerMinute: 10_000 } });
    const lease = await store.acquire(req([e], 10));
    if (!lease.ok) throw new Error("acquire failed");
    await store.settle(
      lease.lease,
      settleInput(
        { kind: "rate_limited", scope: "entry", reason: "429" },
        {
          windows: [{ name: "tokens", unit: "tokens", remaining: 5, resetAt: Date.now() + 9_000 }],
          tokensUsed: 20,
        },
      ),
    );
    // One SCAN call visits only part of the keyspace: follow the cursor to the end.
    const keys: string[] = [];
    let cursor = "0";
    do {
      const [next, batch] = await main.redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== "0");
    expect(keys.length).toBeGreaterThan(2);
    for (const key of keys) {
      expect(key).not.toContain("org/model:free");
      expect(await main.redis.pttl(key)).toBeGreaterThan(0);
    }
    expect(keys.some((k) => k.includes("org%2Fmodel%3Afree"))).toBe(true);
  });
});
