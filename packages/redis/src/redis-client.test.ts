import { describe, expect, it } from "vitest";
import { createRedisClient, reconnectDelay } from "./redis-client";

describe("createRedisClient", () => {
  it("gives the gateway a fail-fast policy and the worker a patient one", () => {
    const gateway = createRedisClient("redis://127.0.0.1:1", {
      role: "gateway",
      name: "gw-1",
      overrides: { lazyConnect: true },
    });
    const worker = createRedisClient("redis://127.0.0.1:1", {
      role: "worker",
      overrides: { lazyConnect: true },
    });
    try {
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

  it("backs off exponentially to a cap and never gives up", () => {
    expect(reconnectDelay(1)).toBeLessThan(300);
    for (const times of [20, 1_000, 1_000_000]) {
      const d = reconnectDelay(times);
      expect(d).toBeGreaterThanOrEqual(2_000);
      expect(d).toBeLessThan(2_100);
    }
  });
});
