import "server-only";
import {
  BREAKDOWN_DIMENSIONS,
  type BreakdownDimension,
  type DbExecutor,
  type EntryRateLimitCount,
  entryRateLimitCounts,
  listClientKeys,
  type StatsBreakdownRow,
  type StatsOverview,
  type StatsPoint,
  statsBreakdown,
  statsOverview,
  statsTimeSeries,
} from "@429chain/db";
import type { DashboardRange } from "./dashboard-range";

export type BreakdownRow = StatsBreakdownRow & { label: string };

interface DashboardData {
  overview: StatsOverview;
  /** One point per bucket of the range, empty buckets as zeros. */
  series: StatsPoint[];
  breakdowns: Record<BreakdownDimension, BreakdownRow[]>;
}

const BUCKET_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

function emptyPoint(bucketStart: Date): StatsPoint {
  return {
    bucketStart,
    requests: 0,
    successes: 0,
    failures: 0,
    rateLimitedAttempts: 0,
    waterfalledRequests: 0,
    promptTokens: 0,
    completionTokens: 0,
    latencyAvgMs: null,
  };
}

function fillSeries(points: StatsPoint[], range: DashboardRange): StatsPoint[] {
  const byStart = new Map(points.map((p) => [p.bucketStart.getTime(), p]));
  const step = BUCKET_MS[range.bucket];
  const out: StatsPoint[] = [];
  for (let t = range.from.getTime(); t < range.to.getTime(); t += step) {
    out.push(byStart.get(t) ?? emptyPoint(new Date(t)));
  }
  return out;
}

/** Labels for breakdown keys: key ids become "name (sk-429-abc…)", null becomes a phrase. */
function labelRows(
  by: BreakdownDimension,
  rows: StatsBreakdownRow[],
  keyNames: Map<string, string>,
): BreakdownRow[] {
  const none = by === "apiKey" ? "no key" : `no ${by} (nothing tried)`;
  return rows.map((r) => ({
    ...r,
    label: r.key === null ? none : by === "apiKey" ? (keyNames.get(r.key) ?? r.key) : r.key,
  }));
}

/** The dashboard's figures for a range, all from rollups. */
export async function loadDashboard(db: DbExecutor, range: DashboardRange): Promise<DashboardData> {
  const span = { from: range.from, to: range.to };
  const [overview, series, keys, ...breakdowns] = await Promise.all([
    statsOverview(db, span),
    statsTimeSeries(db, { ...span, bucket: range.bucket }),
    listClientKeys(db),
    ...BREAKDOWN_DIMENSIONS.map((by) => statsBreakdown(db, { ...span, by })),
  ]);
  const keyNames = new Map(keys.map((k) => [k.id, `${k.name} (${k.displayPrefix}…)`]));
  return {
    overview,
    series: fillSeries(series, range),
    breakdowns: Object.fromEntries(
      BREAKDOWN_DIMENSIONS.map((by, i) => [by, labelRows(by, breakdowns[i] ?? [], keyNames)]),
    ) as Record<BreakdownDimension, BreakdownRow[]>,
  };
}

/**
 * Entries that answered 429 in the range, most first, from the per-entry attempt rollups
 * (the entry each attempt went to, not the one that finally served).
 */
export async function loadRateLimitsPerEntry(
  db: DbExecutor,
  range: DashboardRange,
): Promise<EntryRateLimitCount[]> {
  const rows = await entryRateLimitCounts(db, { from: range.from, to: range.to });
  return rows.filter((r) => r.rateLimited > 0);
}
