import { asc, sql } from "drizzle-orm";
import type { DbExecutor } from "../../create-db";
import { type RollupBucketSize, usageRollups } from "../../schema/usage-rollups";
import { pickBucketSize, rollupWhere, type StatsRange, sumOf, usageSource } from "./rollup-filters";

export interface StatsPoint {
  bucketStart: Date;
  requests: number;
  successes: number;
  failures: number;
  rateLimitedAttempts: number;
  waterfalledRequests: number;
  promptTokens: number;
  completionTokens: number;
  latencyAvgMs: number | null;
}

/** Usage per bucket over [from, to); buckets without requests are left out. */
export async function statsTimeSeries(
  db: DbExecutor,
  range: StatsRange & { bucket: RollupBucketSize },
): Promise<StatsPoint[]> {
  const { table, where } = usageSource(range, range.bucket);
  const rows = await db
    .select({
      bucketStart: table.bucketStart,
      requests: sumOf(table.requests),
      successes: sumOf(table.successes),
      rateLimited: sumOf(table.rateLimitedAttempts),
      waterfalled: sumOf(table.waterfalledRequests),
      promptTokens: sumOf(table.promptTokens),
      completionTokens: sumOf(table.completionTokens),
      latencySum: sumOf(table.latencySumMs),
    })
    .from(table)
    .where(where)
    .groupBy(table.bucketStart)
    .orderBy(asc(table.bucketStart));
  return rows.map((r) => ({
    bucketStart: r.bucketStart,
    requests: r.requests,
    successes: r.successes,
    failures: r.requests - r.successes,
    rateLimitedAttempts: r.rateLimited,
    waterfalledRequests: r.waterfalled,
    promptTokens: r.promptTokens,
    completionTokens: r.completionTokens,
    latencyAvgMs: r.requests > 0 ? r.latencySum / r.requests : null,
  }));
}

export const BREAKDOWN_DIMENSIONS = ["provider", "model", "chain", "apiKey"] as const;
export type BreakdownDimension = (typeof BREAKDOWN_DIMENSIONS)[number];

export interface StatsBreakdownRow {
  /** The provider, model, chain or key id; null for requests without one. */
  key: string | null;
  requests: number;
  successes: number;
  successRate: number;
  rateLimitedAttempts: number;
  waterfalledRequests: number;
  promptTokens: number;
  completionTokens: number;
  /** Micro-dollars spent. */
  costMicros: number;
  latencyAvgMs: number | null;
  latencyMaxMs: number;
}

/** Totals per provider, model, chain or API key over [from, to), most requests first. */
export async function statsBreakdown(
  db: DbExecutor,
  range: StatsRange & { by: BreakdownDimension; bucket?: RollupBucketSize },
): Promise<StatsBreakdownRow[]> {
  const column = usageRollups[range.by];
  const rows = await db
    .select({
      key: column,
      requests: sumOf(usageRollups.requests),
      successes: sumOf(usageRollups.successes),
      rateLimited: sumOf(usageRollups.rateLimitedAttempts),
      waterfalled: sumOf(usageRollups.waterfalledRequests),
      promptTokens: sumOf(usageRollups.promptTokens),
      completionTokens: sumOf(usageRollups.completionTokens),
      costMicros: sumOf(usageRollups.costMicros),
      latencySum: sumOf(usageRollups.latencySumMs),
      latencyMax: sql<number>`coalesce(max(${usageRollups.latencyMaxMs}), 0)`.mapWith(Number),
    })
    .from(usageRollups)
    .where(rollupWhere(range, range.bucket ?? pickBucketSize(range.from, range.to)))
    .groupBy(column)
    .orderBy(sql`2 DESC`, asc(column));
  return rows.map((r) => ({
    key: r.key === "" ? null : r.key,
    requests: r.requests,
    successes: r.successes,
    successRate: r.requests > 0 ? r.successes / r.requests : 0,
    rateLimitedAttempts: r.rateLimited,
    waterfalledRequests: r.waterfalled,
    promptTokens: r.promptTokens,
    completionTokens: r.completionTokens,
    costMicros: r.costMicros,
    latencyAvgMs: r.requests > 0 ? r.latencySum / r.requests : null,
    latencyMaxMs: r.latencyMax,
  }));
}
