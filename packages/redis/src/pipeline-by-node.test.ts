import { describe, expect, it } from "vitest";
import { pipelineByNode } from "./pipeline-by-node";
import { createRedisClient } from "./redis-client";

describe("pipelineByNode", () => {
  it("fails at once, like a single command, when a fail-fast cluster client never connected", async () => {
    const redis = createRedisClient("redis+cluster://127.0.0.1:1", { role: "gateway" });
    try {
      await expect(pipelineByNode(redis, [["get", "k"]])).rejects.toThrow(/isn't ready/);
      await expect(redis.get("k")).rejects.toThrow(/isn't ready/);
    } finally {
      redis.disconnect();
    }
  });

  it("sends nothing for no commands", async () => {
    const redis = createRedisClient("redis+cluster://127.0.0.1:1", {
      role: "api",
      overrides: { lazyConnect: true },
    });
    try {
      expect(await pipelineByNode(redis, [])).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});
