import { type AnyColumn, and, eq, gte, lt, type SQL, sql } from "drizzle-orm";
import {
  LATENCY_BUCKET_BOUNDS_MS,
  type RollupBucketSize,
  usageRollups,
  usageTotals,
} from "../../schema/usage-rollups";

interface StatsFilters {
  provider?: string;
  model?: string;
  chain?: string;
  /** An API key id; null selects requests made without a key. */
  apiKeyId?: string | null;
}

export interface StatsRange {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  filters?: StatsFilters;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * The coarsest rollup whose buckets tile [from, to) exactly: day when both ends are on UTC
 * midnights, hour when on whole hours, else minute (a partial minute at either end counts as
 * its whole minute). Minute rollups are kept for 7 days only.
 */
export function pickBucketSize(from: Date, to: Date): RollupBucketSize {
  const aligned = (ms: number) => from.getTime() % ms === 0 && to.getTime() % ms === 0;
  if (aligned(DAY)) return "day";
  if (aligned(HOUR)) return "hour";
  return "minute";
}

/** Rows of one bucket size whose bucket overlaps [from, to). */
function bucketWhere(
  table: typeof usageRollups | typeof usageTotals,
  range: StatsRange,
  size: RollupBucketSize,
): SQL | undefined {
  const floorFrom = new Date(Math.floor(range.from.getTime() / 60_000) * 60_000);
  return and(
    eq(table.bucketSize, size),
    gte(table.bucketStart, size === "minute" ? floorFrom : range.from),
    lt(table.bucketStart, range.to),
  );
}

/** Rollup rows of one bucket size whose bucket overlaps [from, to), with the filters. */
export function rollupWhere(range: StatsRange, size: RollupBucketSize): SQL | undefined {
  const f = range.filters ?? {};
  return and(
    bucketWhere(usageRollups, range, size),
    f.provider === undefined ? undefined : eq(usageRollups.provider, f.provider),
    f.model === undefined ? undefined : eq(usageRollups.model, f.model),
    f.chain === undefined ? undefined : eq(usageRollups.chain, f.chain),
    f.apiKeyId === undefined ? undefined : eq(usageRollups.apiKey, f.apiKeyId ?? ""),
  );
}

/**
 * Where totals over [from, to) come from: usage_totals (one row per bucket) when nothing is
 * filtered, else the per-dimension usage_rollups. Both carry the same counter columns.
 */
export function usageSource(range: StatsRange, size: RollupBucketSize) {
  const f = range.filters ?? {};
  const filtered = Object.values(f).some((v) => v !== undefined);
  return filtered
    ? { table: usageRollups, where: rollupWhere(range, size) }
    : { table: usageTotals, where: bucketWhere(usageTotals, range, size) };
}

export const sumOf = (column: AnyColumn) =>
  sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number);

/**
 * A percentile from histogram counts: the upper bound of the bucket holding the rank, or
 * `max` for the overflow bucket (and as a cap). Null when there is nothing counted.
 */
export function percentileFromHistogram(
  counts: readonly number[],
  p: number,
  max: number,
): number | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const [i, n] of counts.entries()) {
    seen += n;
    if (seen >= rank) return Math.min(LATENCY_BUCKET_BOUNDS_MS[i] ?? max, max);
  }
  return max;
}
