import { once } from "node:events";
import {
  type RedisSentinel,
  type RedisServer,
  startRedisSentinel,
  startRedisServer,
} from "@429chain/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createRedisClient } from "./redis-client";

let master: RedisServer;
let sentinel: RedisSentinel;

beforeAll(async () => {
  master = await startRedisServer();
  sentinel = await startRedisSentinel({ masterPort: master.port, masterName: "main" });
});

afterAll(async () => {
  await sentinel?.stop();
  await master?.stop();
});

it("connects through a Sentinel to the master it names (redis+sentinel://)", async () => {
  expect(sentinel.url).toMatch(/^redis\+sentinel:\/\/127\.0\.0\.1:\d+\/main$/);
  const redis = createRedisClient(sentinel.url, { role: "gateway", name: "via-sentinel" });
  try {
    await once(redis, "ready");
    await redis.set("k", "v");
    expect(await redis.get("k")).toBe("v");
    // The write landed on the master the sentinel watches.
    const direct = createRedisClient(master.url, { role: "api" });
    try {
      expect(await direct.get("k")).toBe("v");
    } finally {
      direct.disconnect();
    }
  } finally {
    redis.disconnect();
  }
});
