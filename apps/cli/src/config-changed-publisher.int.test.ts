import { configChangedChannel } from "@429chain/contracts";
import { createRedisClient } from "@429chain/redis";
import { REDIS_BACKENDS } from "@429chain/testing";
import { describe, expect, it } from "vitest";
import { createConfigChangedPublisher } from "./config-changed-publisher";

describe.each(REDIS_BACKENDS)("config-changed publisher on %s", (_name, url, open) => {
  it("announces the version to a subscriber, without a warning", async () => {
    const t = await open("cli-publish");
    const subscriber = createRedisClient(url, { role: "worker" });
    try {
      const received = new Promise<string>((resolve) =>
        subscriber.on("message", (_channel: string, message: string) => resolve(message)),
      );
      await subscriber.subscribe(configChangedChannel(t.prefix));
      const warnings: string[] = [];
      const publish = createConfigChangedPublisher({
        redisUrl: url,
        keyPrefix: t.prefix,
        warn: (message) => warnings.push(message),
      });
      await publish(7);
      expect(await received).toBe("7");
      expect(warnings).toEqual([]);
    } finally {
      subscriber.disconnect();
      await t.cleanup();
    }
  });
});

it("warns, and does not wait, when no cluster node answers", async () => {
  const warnings: string[] = [];
  const publish = createConfigChangedPublisher({
    redisUrl: "redis+cluster://127.0.0.1:1,127.0.0.1:2",
    keyPrefix: "x:",
    warn: (message) => warnings.push(message),
  });
  await publish(3);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/config version 3 is saved, but announcing it on Redis failed/);
});
