/**
 * stats (issue 4): the admin console's stats queries over a month of request logs.
 *
 * BENCH_STATS_REQUESTS (default 1,000,000) logged requests, spread evenly over the last 30
 * whole UTC days (8 chains × 3 entries over 6 providers, 21 API keys, 80% served first try,
 * the rest waterfalled, exhausted, timed out or failed; 1–3 attempts each) are loaded into a
 * fresh database through processRequestLogBatch — the worker's own write and rollup code — in
 * batches of BENCH_STATS_BATCH (default 5,000) by BENCH_STATS_CONCURRENCY (default 2) loaders.
 * Each query then runs once to warm up and 5 times timed; the median is reported.
 */
import {
  BREAKDOWN_DIMENSIONS,
  entryRateLimitCounts,
  statsBreakdown,
  statsOverview,
  statsTimeSeries,
} from "@429chain/db";
import type { ScenarioResult } from "./bench-types";
import { fmtMs, fmtNum } from "./format";
import { checkTotals, countLogs } from "./log-db";
import { logVolume, VOLUME_DAYS } from "./log-volume";
import { summarize } from "./stats";

const RUNS = 5;
const TARGET_MS = 100;

interface Timed {
  label: string;
  median: number;
  max: number;
  /** What the query returned, to show it did the work (rows or requests counted). */
  result: string;
  target: boolean;
}

async function time(label: string, query: () => Promise<string>, target = false): Promise<Timed> {
  await query();
  const times: number[] = [];
  let result = "";
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    result = await query();
    times.push(performance.now() - t0);
  }
  const d = summarize(times);
  return { label, median: d.p50, max: d.max, result, target };
}

export async function runStats(): Promise<ScenarioResult> {
  const v = await logVolume();
  const db = v.db.handle.db;
  const range = { from: v.from, to: v.to };
  const now = Date.now();
  const rolling = { from: new Date(now - VOLUME_DAYS * 86_400_000), to: new Date(now) };
  const counts = await countLogs(db);
  const timed: Timed[] = [];
  timed.push(
    await time(
      "overview, 30 whole days (day rollups)",
      async () => `${fmtNum((await statsOverview(db, range)).requests)} requests`,
      true,
    ),
    await time(
      "time series, 30 days by hour (720 points)",
      async () => `${(await statsTimeSeries(db, { ...range, bucket: "hour" })).length} points`,
      true,
    ),
    await time(
      "time series, 30 days by day",
      async () => `${(await statsTimeSeries(db, { ...range, bucket: "day" })).length} points`,
      true,
    ),
  );
  for (const by of BREAKDOWN_DIMENSIONS) {
    timed.push(
      await time(
        `breakdown by ${by}, 30 days`,
        async () => `${(await statsBreakdown(db, { ...range, by })).length} rows`,
      ),
    );
  }
  timed.push(
    await time(
      "per-entry 429 counts, 30 days (entry rollups)",
      async () => `${(await entryRateLimitCounts(db, range)).length} entries`,
    ),
    await time(
      "overview, now-30 d → now (not hour-aligned: minute rollups)",
      async () => `${fmtNum((await statsOverview(db, rolling)).requests)} requests`,
    ),
  );
  const overview = await statsOverview(db, range);
  const loadRate = (v.requests / v.loadMs) * 1000;
  return {
    name: "stats",
    tables: [
      {
        title: `stats: loading ${fmtNum(v.requests)} logged requests over ${VOLUME_DAYS} days through processRequestLogBatch`,
        headers: [
          "batch",
          "loaders",
          "load time",
          "requests/s",
          "attempts",
          "VACUUM ANALYZE",
          "totals = N",
        ],
        rows: [
          [
            fmtNum(v.batch),
            fmtNum(v.concurrency),
            `${(v.loadMs / 1000).toFixed(1)} s`,
            fmtNum(loadRate),
            fmtNum(counts.attempts),
            fmtMs(v.vacuumMs, 0),
            checkTotals(counts, v.requests),
          ],
        ],
      },
      {
        title: `stats: query time, median of ${RUNS} after a warm-up`,
        headers: ["query", "median", "max", "returned", "target"],
        rows: timed.map((t) => [
          t.label,
          fmtMs(t.median, 1),
          fmtMs(t.max, 1),
          t.result,
          t.target ? `< ${TARGET_MS} ms` : "-",
        ]),
      },
    ],
    summary: [
      {
        figure: `stats: load ${fmtNum(v.requests)} requests (processRequestLogBatch)`,
        value: `${(v.loadMs / 1000).toFixed(1)} s (${fmtNum(loadRate)}/s)`,
        target: "-",
      },
      ...timed
        .filter((t) => t.target)
        .map((t) => ({
          figure: `stats: ${t.label}, ${fmtNum(v.requests)} requests`,
          value: fmtMs(t.median, 1),
          target: `< ${TARGET_MS} ms`,
        })),
    ],
    figures: {
      requests: v.requests,
      loadMs: v.loadMs,
      loadRequestsPerSecond: loadRate,
      vacuumAnalyzeMs: v.vacuumMs,
      totals: checkTotals(counts, v.requests),
      overviewRequests: overview.requests,
      overviewSuccessRate: overview.successRate,
      overviewWaterfallRate: overview.waterfallRate,
      overviewP50Ms: overview.latencyP50Ms,
      overviewP95Ms: overview.latencyP95Ms,
      ...Object.fromEntries(timed.map((t) => [`${t.label} (median ms)`, t.median])),
    },
    notes: [
      `Sizes: BENCH_STATS_REQUESTS=${v.requests}, BENCH_STATS_BATCH=${v.batch}, BENCH_STATS_CONCURRENCY=${v.concurrency}; the storage scenario reuses this database when both run.`,
      "Loading uses processRequestLogBatch, the worker's transaction (raw rows, attempts, rollup upserts); BullMQ is left out, the drain scenario measures it.",
      "VACUUM ANALYZE after loading stands in for autovacuum, which visits tables this size on its own in production.",
      "A range that is not on whole hours (e.g. now-30 d → now) is answered from minute rollups, which retention keeps 7 days only.",
      `Overview of the 30 days: success ${(overview.successRate * 100).toFixed(1)}%, waterfall ${(overview.waterfallRate * 100).toFixed(1)}%, p50 ${overview.latencyP50Ms} ms, p95 ${overview.latencyP95Ms} ms.`,
    ],
  };
}
