import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OpenTestDb, openTestDb, TEST_BACKENDS } from "../../testing/test-database";
import { processRequestLogBatch } from "../request-logs/process-batch";
import { knownJobs, T0 } from "../request-logs/test-jobs";
import { entryRateLimitCounts } from "./entry-rate-limit-counts";
import { statsOverview } from "./stats-overview";
import { statsBreakdown, statsTimeSeries } from "./stats-time-series";

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const at = (ms: number) => new Date(ms);

describe.each(TEST_BACKENDS)("stats from rollups (%s)", (backend) => {
  let t: OpenTestDb;
  beforeAll(async () => {
    t = await openTestDb(backend, "request_log_stats");
    await processRequestLogBatch(t.db, knownJobs());
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("gives the overview of a range", async () => {
    const o = await statsOverview(t.db, { from: at(T0), to: at(T0 + 2 * DAY) });
    expect(o).toMatchObject({
      requests: 5,
      successes: 3,
      successRate: 0.6,
      waterfalledRequests: 2,
      waterfallRate: 0.4,
      rateLimitedAttempts: 2,
      promptTokens: 30,
      completionTokens: 15,
      latencyMaxMs: 9000,
      // Latencies 1, 40, 120, 300, 9000: the median falls in the ≤200 ms bucket.
      latencyP50Ms: 200,
      latencyP95Ms: 9000,
    });
    expect(o.latencyAvgMs).toBeCloseTo(9461 / 5);
  });

  it("narrows the overview by range and filters", async () => {
    expect((await statsOverview(t.db, { from: at(T0), to: at(T0 + DAY) })).requests).toBe(4);
    expect((await statsOverview(t.db, { from: at(T0 + MIN), to: at(T0 + 2 * MIN) })).requests).toBe(
      3,
    );
    const k1 = await statsOverview(t.db, {
      from: at(T0),
      to: at(T0 + DAY),
      filters: { apiKeyId: "k1" },
    });
    expect(k1.requests).toBe(3);
    const noKey = await statsOverview(t.db, {
      from: at(T0),
      to: at(T0 + 2 * DAY),
      filters: { apiKeyId: null },
    });
    expect(noKey.requests).toBe(1);
    const empty = await statsOverview(t.db, { from: at(T0 + 10 * DAY), to: at(T0 + 11 * DAY) });
    expect(empty).toMatchObject({ requests: 0, successRate: 0, latencyP50Ms: null });
  });

  it("gives a time series", async () => {
    const series = await statsTimeSeries(t.db, {
      from: at(T0),
      to: at(T0 + 2 * DAY),
      bucket: "hour",
    });
    expect(series.map((p) => [p.bucketStart.getTime() - T0, p.requests, p.failures])).toEqual([
      [0, 3, 0],
      [2 * HOUR, 1, 1],
      [DAY, 1, 1],
    ]);
  });

  it("breaks down by provider and key", async () => {
    const range = { from: at(T0), to: at(T0 + 2 * DAY) };
    const byProvider = await statsBreakdown(t.db, { ...range, by: "provider" });
    expect(byProvider[0]).toMatchObject({ key: "p1", requests: 3, successRate: 1 });
    expect(byProvider.map((r) => [r.key, r.requests]).slice(1)).toEqual(
      expect.arrayContaining([
        [null, 1],
        ["p2", 1],
      ]),
    );
    const byKey = await statsBreakdown(t.db, { ...range, by: "apiKey" });
    expect(Object.fromEntries(byKey.map((r) => [r.key ?? "none", r.requests]))).toEqual({
      k1: 4,
      none: 1,
    });
  });

  it("counts 429s per entry from attempts", async () => {
    const rows = await entryRateLimitCounts(t.db, { from: at(T0), to: at(T0 + 2 * DAY) });
    expect(rows).toEqual(
      expect.arrayContaining([
        { provider: "p1", model: "m1", rateLimited: 1, quotaExhausted: 0, skipped: 0, attempts: 4 },
        { provider: "p2", model: "m2", rateLimited: 1, quotaExhausted: 0, skipped: 1, attempts: 2 },
      ]),
    );
    expect(rows).toHaveLength(2);
    // Hour and minute rollups give the same counts for ranges aligned to them.
    expect(await entryRateLimitCounts(t.db, { from: at(T0), to: at(T0 + 3 * HOUR) })).toEqual(
      await entryRateLimitCounts(t.db, { from: at(T0 + 30_000), to: at(T0 + 3 * HOUR - 1) }),
    );
    const firstMinutes = await entryRateLimitCounts(t.db, {
      from: at(T0 + MIN),
      to: at(T0 + 2 * MIN),
      chain: "c",
    });
    expect(firstMinutes.map((r) => [r.provider, r.rateLimited, r.attempts])).toEqual([
      ["p2", 1, 1],
      ["p1", 0, 3],
    ]);
  });
});
