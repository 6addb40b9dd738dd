import type { Cluster, Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { createRedisClient, isCluster, reconnectDelay } from "./redis-client";

const LAZY = { overrides: { lazyConnect: true } };

describe("createRedisClient", () => {
  it("gives the gateway a fail-fast policy and the worker a patient one", () => {
    const gateway = createRedisClient("redis://127.0.0.1:1", {
      role: "gateway",
      name: "gw-1",
      ...LAZY,
    }) as Redis;
    const worker = createRedisClient("redis://127.0.0.1:1", { role: "worker", ...LAZY }) as Redis;
    try {
      expect(isCluster(gateway)).toBe(false);
      expect(gateway.options).toMatchObject({
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        connectionName: "gw-1",
      });
      expect(gateway.options.commandTimeout).toBeLessThanOrEqual(500);
      expect(worker.options.maxRetriesPerRequest).toBeNull();
      expect(gateway.listenerCount("error")).toBe(1);
    } finally {
      gateway.disconnect();
      worker.disconnect();
    }
  });

  it("builds a cluster client with the role's policy per node and for the cluster", () => {
    const url = "rediss+cluster://app:s%40cret@10.0.0.1:7001,10.0.0.2:7002";
    const gateway = createRedisClient(url, { role: "gateway", name: "gw-1", ...LAZY }) as Cluster;
    const worker = createRedisClient(url, { role: "worker", ...LAZY }) as Cluster;
    try {
      expect(isCluster(gateway)).toBe(true);
      expect(gateway.options.enableOfflineQueue).toBe(false);
      expect(gateway.options.clusterRetryStrategy).toBe(reconnectDelay);
      expect(gateway.options.redisOptions).toMatchObject({
        commandTimeout: 300,
        maxRetriesPerRequest: 0,
        connectionName: "gw-1",
        username: "app",
        password: "s@cret",
        tls: {},
      });
      expect(gateway.options.redisOptions).not.toHaveProperty("retryStrategy");
      expect(gateway.options.redisOptions).not.toHaveProperty("enableOfflineQueue");
      // BullMQ reads a cluster's per-node options and refuses a retry limit there.
      expect(worker.options.redisOptions?.maxRetriesPerRequest).toBeNull();
      expect(gateway.listenerCount("error")).toBe(1);
    } finally {
      gateway.disconnect();
      worker.disconnect();
    }
  });

  it("turns a list of redis:// URLs into a cluster of those seed nodes", () => {
    const redis = createRedisClient("redis://127.0.0.1:7001,redis://127.0.0.1:7002", {
      role: "api",
      ...LAZY,
    });
    try {
      expect(isCluster(redis)).toBe(true);
    } finally {
      redis.disconnect();
    }
  });

  it("asks the sentinels for the master, with the role's policy on the connection", () => {
    const redis = createRedisClient("redis+sentinel://:pw@127.0.0.1:26379,127.0.0.2/mymaster/2", {
      role: "gateway",
      ...LAZY,
    }) as Redis;
    try {
      expect(isCluster(redis)).toBe(false);
      expect(redis.options).toMatchObject({
        sentinels: [
          { host: "127.0.0.1", port: 26379 },
          { host: "127.0.0.2", port: 26379 },
        ],
        name: "mymaster",
        db: 2,
        password: "pw",
        enableOfflineQueue: false,
        commandTimeout: 300,
      });
    } finally {
      redis.disconnect();
    }
  });

  it("refuses a URL env validation would have refused", () => {
    expect(() => createRedisClient("http://x", { role: "api" })).toThrow(/REDIS_URL must be/);
  });

  it("backs off exponentially to a cap and never gives up", () => {
    expect(reconnectDelay(1)).toBeLessThan(300);
    for (const times of [20, 1_000, 1_000_000]) {
      const d = reconnectDelay(times);
      expect(d).toBeGreaterThanOrEqual(2_000);
      expect(d).toBeLessThan(2_100);
    }
  });
});
