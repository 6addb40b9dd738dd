import { setTimeout as delay } from "node:timers/promises";
import { waitFor } from "@429chain/testing";
import { afterAll, describe, expect, it } from "vitest";
import { driveTraffic, summarize } from "./drive-traffic";
import { metricValue, readyStatus } from "./gateway-probes";
import { DEADLINE_MS, faultReplicas, waitBackOnRedis } from "./redis-config";
import { expectSharedCooldown } from "./shared-cooldown";

/** The scenario: Redis stops answering for this long with its connections open. */
const FREEZE_MS = 10_000;
const ERRORS = "gateway_state_store_errors_total";

const faults = faultReplicas("redis-freeze");
const urls = faults.urls;

// Registered after the replicas' hooks, so it runs before they stop: a test that failed
// mid-freeze leaves Redis stopped, and the gateways flush their logs to it on shutdown.
afterAll(() => {
  try {
    faults.redis.thaw();
  } catch {
    // Not running: nothing to thaw.
  }
});

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
      faults.redis.freeze();
      const frozenAt = Date.now();
      await waitFor(async () => (await statuses()).every((s) => s === "degraded"), {
        timeoutMs: FREEZE_MS,
        intervalMs: 100,
        description: "both replicas report degraded during the freeze",
      });
      await delay(FREEZE_MS - (Date.now() - frozenAt));
      errorsDuringFreeze = (await errorCount()) - errorsBefore;
      traffic.setPhase("thawed");
      faults.redis.thaw();
      await waitBackOnRedis(traffic, urls(), "the thaw");
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
    await expectSharedCooldown(faults.upstream, [urls()[0] as string, urls()[1] as string]);
  }, 110_000);
});
