import { setTimeout as delay } from "node:timers/promises";
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
import { metricValue, readyStatus } from "./gateway-probes";
import { DEADLINE_MS, redisFaultConfig } from "./redis-config";
import { expectSharedCooldown } from "./shared-cooldown";

/** The scenario: Redis stops answering for this long with its connections open. */
const FREEZE_MS = 10_000;
const ERRORS = "gateway_state_store_errors_total";

let redis: RedisServer;
let upstream: FakeUpstream;
let config: { path: string; remove(): void };
let replicas: GatewayProcess[] = [];

beforeAll(async () => {
  redis = await startRedisServer();
  upstream = await startFakeUpstream();
  config = writeTempConfig(redisFaultConfig(upstream.url), "redis-freeze");
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
  // A test that failed mid-freeze leaves Redis stopped; the gateways flush their logs to it
  // on shutdown.
  try {
    redis?.thaw();
  } catch {
    // Not running: nothing to thaw.
  }
  await Promise.all(replicas.map((r) => r.stop()));
  await upstream?.close();
  await redis?.stop();
  config?.remove();
});

const urls = () => replicas.map((r) => r.url);
const statuses = () => Promise.all(urls().map(readyStatus));
const errorCount = async () =>
  (await Promise.all(urls().map((url) => metricValue(url, ERRORS)))).reduce((a, b) => a + b, 0);

describe("Redis frozen (SIGSTOP) for 10 s under traffic", () => {
  it("keeps serving from local state without waiting on Redis per request, then returns to Redis", async () => {
    const traffic = driveTraffic({ urls: urls(), model: "ab", clientTimeoutMs: 3 * DEADLINE_MS });
    let errorsDuringFreeze = 0;
    try {
      await waitFor(
        async () =>
          traffic.served("before") >= 30 && (await statuses()).every((s) => s === "ready"),
        { timeoutMs: 30_000, intervalMs: 100, description: "traffic flowing on Redis" },
      );
      const errorsBefore = await errorCount();
      traffic.setPhase("frozen");
      redis.freeze();
      const frozenAt = Date.now();
      await waitFor(async () => (await statuses()).every((s) => s === "degraded"), {
        timeoutMs: FREEZE_MS,
        intervalMs: 100,
        description: "both replicas report degraded during the freeze",
      });
      await delay(FREEZE_MS - (Date.now() - frozenAt));
      errorsDuringFreeze = (await errorCount()) - errorsBefore;
      traffic.setPhase("thawed");
      redis.thaw();
      await waitFor(async () => (await statuses()).every((s) => s === "ready"), {
        timeoutMs: 30_000,
        intervalMs: 100,
        description: "both replicas back on Redis",
      });
      traffic.setPhase("after");
      await waitFor(() => traffic.served("after") >= 30, {
        timeoutMs: 30_000,
        description: "traffic after the thaw",
      });
    } finally {
      const results = await traffic.stop();
      const all = summarize(results);
      const frozen = results.filter((r) => r.phase === "frozen");
      const during = summarize(frozen);
      console.info(
        `redis freeze: ${all.served}/${all.total} served, ${during.served}/${during.total} ` +
          `during the ${FREEZE_MS} ms freeze (${errorsDuringFreeze} state-store errors), ` +
          `max answer ${all.maxMs} ms (${during.maxMs} ms while frozen), ` +
          `not served: ${JSON.stringify(all.others)}`,
      );
      expect(all.others).toEqual([]);
      expect(all.maxMs).toBeLessThan(DEADLINE_MS);
      // Both replicas served while Redis was frozen…
      for (const replica of [0, 1]) {
        expect(
          frozen.filter((r) => r.replica === replica && r.answer === 200).length,
        ).toBeGreaterThan(10);
      }
      // …and few requests paid the 300 ms command timeout: after one fails, the replica
      // serves from memory and tries Redis again only now and then.
      expect(errorsDuringFreeze).toBeGreaterThan(0);
      expect(errorsDuringFreeze * 4).toBeLessThan(during.served);
    }
    await expectSharedCooldown(upstream, [urls()[0] as string, urls()[1] as string]);
  }, 110_000);
});
