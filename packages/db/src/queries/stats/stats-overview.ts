import { sql } from "drizzle-orm";
import type { DbExecutor } from "../../create-db";
import { LATENCY_HISTOGRAM_LENGTH, usageRollups } from "../../schema/usage-rollups";
import {
  percentileFromHistogram,
  pickBucketSize,
  rollupWhere,
  type StatsRange,
  sumOf,
} from "./rollup-filters";

export interface StatsOverview {
  requests: number;
  successes: number;
  /** successes / requests, 0 when there are none. */
  successRate: number;
  waterfalledRequests: number;
  /** Share of requests that needed more than one attempt. */
  waterfallRate: number;
  rateLimitedAttempts: number;
  promptTokens: number;
  completionTokens: number;
  latencyAvgMs: number | null;
  latencyMaxMs: number | null;
  /** Upper bounds of histogram buckets (see LATENCY_BUCKET_BOUNDS_MS). */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  latencyP99Ms: number | null;
}

/** Sums the latency histograms of the selected rollup rows. */
export async function sumHistogram(db: DbExecutor, range: StatsRange): Promise<number[]> {
  const size = pickBucketSize(range.from, range.to);
  const rows = await db
    .select({
      i: sql<number>`u.i`.mapWith(Number),
      n: sql<number>`sum(u.n)`.mapWith(Number),
    })
    .from(sql`${usageRollups}, unnest(${usageRollups.latencyHistogram}) WITH ORDINALITY AS u(n, i)`)
    .where(rollupWhere(range, size))
    .groupBy(sql`u.i`);
  const counts = new Array<number>(LATENCY_HISTOGRAM_LENGTH).fill(0);
  for (const r of rows) counts[r.i - 1] = r.n;
  return counts;
}

/** Headline figures for a time range, from rollups. */
export async function statsOverview(db: DbExecutor, range: StatsRange): Promise<StatsOverview> {
  const size = pickBucketSize(range.from, range.to);
  const [totals] = await db
    .select({
      requests: sumOf(usageRollups.requests),
      successes: sumOf(usageRollups.successes),
      waterfalled: sumOf(usageRollups.waterfalledRequests),
      rateLimited: sumOf(usageRollups.rateLimitedAttempts),
      promptTokens: sumOf(usageRollups.promptTokens),
      completionTokens: sumOf(usageRollups.completionTokens),
      latencySum: sumOf(usageRollups.latencySumMs),
      latencyMax: sql<number>`coalesce(max(${usageRollups.latencyMaxMs}), 0)`.mapWith(Number),
    })
    .from(usageRollups)
    .where(rollupWhere(range, size));
  const t = totals ?? {
    requests: 0,
    successes: 0,
    waterfalled: 0,
    rateLimited: 0,
    promptTokens: 0,
    completionTokens: 0,
    latencySum: 0,
    latencyMax: 0,
  };
  const counts = t.requests > 0 ? await sumHistogram(db, range) : [];
  const ratio = (n: number) => (t.requests > 0 ? n / t.requests : 0);
  return {
    requests: t.requests,
    successes: t.successes,
    successRate: ratio(t.successes),
    waterfalledRequests: t.waterfalled,
    waterfallRate: ratio(t.waterfalled),
    rateLimitedAttempts: t.rateLimited,
    promptTokens: t.promptTokens,
    completionTokens: t.completionTokens,
    latencyAvgMs: t.requests > 0 ? t.latencySum / t.requests : null,
    latencyMaxMs: t.requests > 0 ? t.latencyMax : null,
    latencyP50Ms: percentileFromHistogram(counts, 0.5, t.latencyMax),
    latencyP95Ms: percentileFromHistogram(counts, 0.95, t.latencyMax),
    latencyP99Ms: percentileFromHistogram(counts, 0.99, t.latencyMax),
  };
}
