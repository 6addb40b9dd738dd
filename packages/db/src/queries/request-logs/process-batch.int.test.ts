import { count } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Db } from "../../create-db";
import { requestAttempts, requestLogs } from "../../schema/request-logs";
import { usageRollups } from "../../schema/usage-rollups";
import { type OpenTestDb, openTestDb, TEST_BACKENDS } from "../../testing/test-database";
import { aggregateRollups, type RollupRow } from "./aggregate-rollups";
import { processRequestLogBatch } from "./process-batch";
import { knownJobs } from "./test-jobs";

const keyOf = (r: RollupRow) =>
  JSON.stringify([r.bucketSize, r.bucketStart.getTime(), r.provider, r.model, r.chain, r.apiKey]);

async function rollupRows(db: Db): Promise<RollupRow[]> {
  const rows = await db.select().from(usageRollups);
  return rows.sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
}

async function counts(db: Db) {
  const [logs] = await db.select({ n: count() }).from(requestLogs);
  const [attempts] = await db.select({ n: count() }).from(requestAttempts);
  return { logs: logs?.n, attempts: attempts?.n };
}

describe.each(TEST_BACKENDS)("processRequestLogBatch (%s)", (backend) => {
  let t: OpenTestDb;
  beforeAll(async () => {
    t = await openTestDb(backend, "request_log_batch");
  });
  beforeEach(async () => {
    await t.reset();
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const expected = () =>
    aggregateRollups(knownJobs()).sort((a, b) => keyOf(a).localeCompare(keyOf(b)));

  it("counts a batch delivered twice once", async () => {
    const jobs = knownJobs();
    expect(await processRequestLogBatch(t.db, jobs)).toEqual({
      inserted: 5,
      duplicates: 0,
      deadLettered: 0,
    });
    expect(await processRequestLogBatch(t.db, jobs)).toEqual({
      inserted: 0,
      duplicates: 5,
      deadLettered: 0,
    });
    expect(await counts(t.db)).toEqual({ logs: 5, attempts: 6 });
    expect(await rollupRows(t.db)).toEqual(expected());
    const days = (await rollupRows(t.db)).filter((r) => r.bucketSize === "day");
    expect(days.reduce((n, r) => n + r.requests, 0)).toBe(5);
  });

  it("counts only the new requests of an overlapping batch, merging histograms", async () => {
    const [r1, r2, r3, r4, r5] = knownJobs();
    if (!r1 || !r2 || !r3 || !r4 || !r5) throw new Error("fixture");
    await processRequestLogBatch(t.db, [r1, r2]);
    // r5 shares r1's minute/hour/day key: its counters and histogram are added to r1's.
    expect(await processRequestLogBatch(t.db, [r2, r3, r4, r5, r3])).toEqual({
      inserted: 3,
      duplicates: 2,
      deadLettered: 0,
    });
    expect(await counts(t.db)).toEqual({ logs: 5, attempts: 6 });
    expect(await rollupRows(t.db)).toEqual(expected());
  });

  it("sums rollups as the jobs say", async () => {
    await processRequestLogBatch(t.db, knownJobs());
    const day0 = (await rollupRows(t.db)).filter(
      (r) => r.bucketSize === "day" && r.provider === "p1" && r.apiKey === "k1",
    );
    expect(day0).toHaveLength(1);
    expect(day0[0]).toMatchObject({
      requests: 2,
      successes: 2,
      promptTokens: 20,
      completionTokens: 10,
      latencySumMs: 340,
      latencyMaxMs: 300,
    });
    // 40 ms falls in the ≤50 bucket, 300 ms in the ≤300 bucket.
    expect(day0[0]?.latencyHistogram.slice(0, 6)).toEqual([0, 1, 0, 0, 1, 0]);
    const exhausted = (await rollupRows(t.db)).find(
      (r) => r.bucketSize === "hour" && r.provider === "p2",
    );
    expect(exhausted).toMatchObject({
      exhausted: 1,
      rateLimitedAttempts: 1,
      skippedAttempts: 1,
      waterfalledRequests: 1,
    });
    const rejected = (await rollupRows(t.db)).find(
      (r) => r.bucketSize === "minute" && r.chain === "d",
    );
    expect(rejected).toMatchObject({ provider: "", model: "", rejected: 1, requests: 1 });
  });

  it("accepts an empty batch", async () => {
    expect(await processRequestLogBatch(t.db, [])).toEqual({
      inserted: 0,
      duplicates: 0,
      deadLettered: 0,
    });
  });
});
