import { waitFor } from "@429chain/testing";
import { describe, expect, it } from "vitest";
import { driveTraffic, summarize } from "./drive-traffic";
import { readyStatus } from "./gateway-probes";
import { DEADLINE_MS, faultReplicas, waitBackOnRedis } from "./redis-config";
import { expectSharedCooldown } from "./shared-cooldown";

const faults = faultReplicas("redis-kill");
const urls = faults.urls;
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
      await faults.redis.kill();
      await waitFor(
        async () =>
          traffic.served("outage") >= 100 && (await statuses()).every((s) => s === "degraded"),
        { timeoutMs: 30_000, intervalMs: 100, description: "both replicas degraded, serving" },
      );
      traffic.setPhase("restart");
      await faults.redis.restart();
      await waitBackOnRedis(traffic, urls(), "the restart");
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
    await expectSharedCooldown(faults.upstream, [urls()[0] as string, urls()[1] as string]);
  }, 110_000);
});
