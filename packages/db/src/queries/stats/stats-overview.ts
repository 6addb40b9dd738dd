import { type AnyColumn, type SQL, sql } from "drizzle-orm";
import type { DbExecutor } from "../../create-db";
import { LATENCY_HISTOGRAM_LENGTH } from "../../schema/usage-rollups";
import {
  percentileFromHistogram,
  pickBucketSize,
  type StatsRange,
  sumOf,
  usageSource,
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
  /** Micro-dollars spent (USD × 1e6). */
  costMicros: number;
  /** Micro-dollars saved: served tokens at the chains' reference prices minus what was spent. */
  savedMicros: number;
  latencyAvgMs: number | null;
  latencyMaxMs: number | null;
  /** Upper bounds of histogram buckets (see LATENCY_BUCKET_BOUNDS_MS). */
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  latencyP99Ms: number | null;
}

/** Sums of each latency histogram bucket, as select fields `h1` … `hN`. */
function histogramSums(column: AnyColumn): Record<string, SQL.Aliased<number>> {
  return Object.fromEntries(
    Array.from({ length: LATENCY_HISTOGRAM_LENGTH }, (_, i) => [
      `h${i + 1}`,
      sql<number>`coalesce(sum(${column}[${sql.raw(String(i + 1))}]), 0)`
        .mapWith(Number)
        .as(`h${i + 1}`),
    ]),
  );
}

/** Headline figures for a time range, from rollups (one query). */
export async function statsOverview(db: DbExecutor, range: StatsRange): Promise<StatsOverview> {
  const { table, where } = usageSource(range, pickBucketSize(range.from, range.to));
  const [row] = await db
    .select({
      requests: sumOf(table.requests),
      successes: sumOf(table.successes),
      waterfalled: sumOf(table.waterfalledRequests),
      rateLimited: sumOf(table.rateLimitedAttempts),
      promptTokens: sumOf(table.promptTokens),
      completionTokens: sumOf(table.completionTokens),
      costMicros: sumOf(table.costMicros),
      savedMicros: sumOf(table.savedMicros),
      latencySum: sumOf(table.latencySumMs),
      latencyMax: sql<number>`coalesce(max(${table.latencyMaxMs}), 0)`.mapWith(Number),
      ...histogramSums(table.latencyHistogram),
    })
    .from(table)
    .where(where);
  const r: Record<string, number> = row ?? {};
  const n = (field: string) => r[field] ?? 0;
  const requests = n("requests");
  const counts = Array.from({ length: LATENCY_HISTOGRAM_LENGTH }, (_, i) => n(`h${i + 1}`));
  const ratio = (x: number) => (requests > 0 ? x / requests : 0);
  return {
    requests,
    successes: n("successes"),
    successRate: ratio(n("successes")),
    waterfalledRequests: n("waterfalled"),
    waterfallRate: ratio(n("waterfalled")),
    rateLimitedAttempts: n("rateLimited"),
    promptTokens: n("promptTokens"),
    completionTokens: n("completionTokens"),
    costMicros: n("costMicros"),
    savedMicros: n("savedMicros"),
    latencyAvgMs: requests > 0 ? n("latencySum") / requests : null,
    latencyMaxMs: requests > 0 ? n("latencyMax") : null,
    latencyP50Ms: percentileFromHistogram(counts, 0.5, n("latencyMax")),
    latencyP95Ms: percentileFromHistogram(counts, 0.95, n("latencyMax")),
    latencyP99Ms: percentileFromHistogram(counts, 0.99, n("latencyMax")),
  };
}
