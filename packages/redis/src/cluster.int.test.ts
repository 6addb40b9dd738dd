import { once } from "node:events";
import { configChangedChannel } from "@429chain/contracts";
import { deleteKeys, TEST_REDIS_CLUSTER_URL, uniquePrefix } from "@429chain/testing";
import type { Cluster } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishConfigVersion } from "./config-changed";
import { keySlot } from "./key-slot";
import { pipelineByNode } from "./pipeline-by-node";
import { createRedisClient, isCluster, type RedisClient } from "./redis-client";

const prefix = uniquePrefix("redis-cluster");
const clients: RedisClient[] = [];
let api: Cluster;

async function ready(redis: RedisClient): Promise<RedisClient> {
  clients.push(redis);
  if (redis.status !== "ready") await once(redis, "ready");
  return redis;
}

beforeAll(async () => {
  const redis = await ready(createRedisClient(TEST_REDIS_CLUSTER_URL, { role: "api" }));
  if (!isCluster(redis)) throw new Error("TEST_REDIS_CLUSTER_URL is not a cluster");
  api = redis;
});

afterAll(async () => {
  await deleteKeys(api, prefix);
  for (const c of clients) c.disconnect();
});

describe("a Redis Cluster from REDIS_URL", () => {
  it("runs reads of keys on every node as one pipeline per node, replies in order", async () => {
    // Forty tags land on all three masters.
    const keys = Array.from({ length: 40 }, (_, i) => `${prefix}{t${i}}:k`);
    const nodes = new Set(keys.map((k) => api.slots[keySlot(k)]?.join(",")));
    expect(nodes.size).toBe(3);
    await pipelineByNode(
      api,
      keys.map((k, i) => ["set", k, `v${i}`]),
    );
    const replies = await pipelineByNode(
      api,
      keys.map((k) => ["get", k]),
    );
    expect(replies).toEqual(keys.map((_, i) => `v${i}`));
  });

  it("delivers a config-changed PUBLISH sent through any node to a subscriber", async () => {
    const subscriber = await ready(
      createRedisClient(TEST_REDIS_CLUSTER_URL, { role: "worker", name: "sub" }),
    );
    const received: string[] = [];
    const channel = configChangedChannel(prefix);
    subscriber.on("message", (ch: string, message: string) => {
      if (ch === channel) received.push(message);
    });
    await subscriber.subscribe(channel);
    const masters = api.nodes("master");
    expect(masters).toHaveLength(3);
    for (const [i, node] of masters.entries()) await node.publish(channel, `node-${i}`);
    const gateway = await ready(createRedisClient(TEST_REDIS_CLUSTER_URL, { role: "gateway" }));
    await publishConfigVersion(gateway, prefix, 42);
    await expect
      .poll(() => received, { timeout: 5_000 })
      .toEqual(["node-0", "node-1", "node-2", "42"]);
  });
});
