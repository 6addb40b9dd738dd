import {
  type FakeUpstream,
  type RedisServer,
  startFakeUpstream,
  startRedisServer,
  waitFor,
} from "@429chain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayProcess, startGatewayProcess } from "../gateway-process";
import { writeTempConfig } from "../harness";
import { driveTraffic, summarize } from "./drive-traffic";
import { readyStatus } from "./gateway-probes";
import { DEADLINE_MS, redisFaultConfig } from "./redis-config";
import { expectSharedCooldown } from "./shared-cooldown";

let redis: RedisServer;
let upstream: FakeUpstream;
let config: { path: string; remove(): void };
let replicas: GatewayProcess[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  upstream = await startFakeUpstream();
  config = writeTempConfig(redisFaultConfig(upstream.url), "redis-kill");
  const env = {
    CONFIG_PATH: config.path,
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: "faults:",
    LOG_LEVEL: "error",
  };
  replicas = await Promise.all(
    ["r1", "r2"].map((id) => startGatewayProcess({ env: { ...env, REPLICA_ID: id } })),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.stop()));
  await upstream?.close();
  await redis?.stop();
  config?.remove();
});

const urls = () => replicas.map((r) => r.url);
const statuses = () => Promise.all(urls().map(readyStatus));

describe("Redis killed and restarted under traffic", () => {
  it("answers every request within its deadline, serves ≥ 95 %, and shares cooldowns again after the restart", async () => {
    const traffic = driveTraffic({ urls: urls(), model: "ab", clientTimeoutMs: 3 * DEADLINE_MS });
    try {
      await waitFor(() => traffic.served("before") >= 30, {
        timeoutMs: 30_000,
        description: "traffic flowing before the kill",
      });
      traffic.setPhase("outage");
      await redis.kill();
      await waitFor(
        async () =>
          traffic.served("outage") >= 100 && (await statuses()).every((s) => s === "degraded"),
        { timeoutMs: 30_000, intervalMs: 100, description: "both replicas degraded, serving" },
      );
      traffic.setPhase("restart");
      await redis.restart();
      await waitFor(async () => (await statuses()).every((s) => s === "ready"), {
        timeoutMs: 30_000,
        intervalMs: 100,
        description: "both replicas back on Redis",
      });
      traffic.setPhase("after");
      await waitFor(() => traffic.served("after") >= 30, {
        timeoutMs: 30_000,
        description: "traffic after the restart",
      });
    } finally {
      const results = await traffic.stop();
      const all = summarize(results);
      const outage = summarize(results.filter((r) => r.phase === "outage"));
      console.info(
        `redis kill: ${all.served}/${all.total} served (${(all.servedShare * 100).toFixed(1)} %), ` +
          `${outage.served}/${outage.total} during the outage, max answer ${all.maxMs} ms, ` +
          `not served: ${JSON.stringify(all.others)}`,
      );
      expect(all.noAnswer).toBe(0);
      expect(all.maxMs).toBeLessThan(DEADLINE_MS);
      expect(all.servedShare).toBeGreaterThanOrEqual(0.95);
    }
    await expectSharedCooldown(upstream, [urls()[0] as string, urls()[1] as string]);
  }, 110_000);
});
