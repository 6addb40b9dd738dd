import "server-only";
import type { RollupBucketSize } from "@429chain/db";
import { z } from "zod";

export const RANGE_PRESETS = ["1h", "24h", "7d", "30d"] as const;
type RangePreset = (typeof RANGE_PRESETS)[number];

export interface DashboardRange {
  preset: RangePreset | "custom";
  /** Inclusive, aligned to `bucket`. */
  from: Date;
  /** Exclusive, aligned to `bucket`. */
  to: Date;
  /** Time-series resolution; the ends are aligned to it so its rollups tile the range. */
  bucket: RollupBucketSize;
}

const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const BUCKET_MS: Record<RollupBucketSize, number> = { minute: MIN, hour: HOUR, day: DAY };

/** Minute rollups are kept for 7 days, so wider ranges read hour or day rollups. */
const PRESETS: Record<RangePreset, { spanMs: number; bucket: RollupBucketSize }> = {
  "1h": { spanMs: HOUR, bucket: "minute" },
  "24h": { spanMs: DAY, bucket: "hour" },
  "7d": { spanMs: 7 * DAY, bucket: "hour" },
  "30d": { spanMs: 30 * DAY, bucket: "day" },
};

const DashboardRangeParamsSchema = z.object({
  range: z.enum([...RANGE_PRESETS, "custom"]).catch("24h"),
  /** `YYYY-MM-DDTHH:mm` (as <input type="datetime-local"> sends it), read as UTC. */
  from: z.string().optional().catch(undefined),
  to: z.string().optional().catch(undefined),
});

const floorTo = (ms: number, step: number) => Math.floor(ms / step) * step;
const ceilTo = (ms: number, step: number) => Math.ceil(ms / step) * step;

function parseUtc(value: string | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(ms) ? null : ms;
}

/** The finest bucket that keeps a custom range to a readable number of points. */
function bucketForSpan(spanMs: number): RollupBucketSize {
  if (spanMs <= 6 * HOUR) return "minute";
  if (spanMs <= 14 * DAY) return "hour";
  return "day";
}

export class DashboardRangeError extends Error {
  override readonly name = "DashboardRangeError";
}

/**
 * The range the dashboard shows. A preset ends at the end of the current bucket, so the
 * newest (partial) bucket is included; a custom range widens outward to whole buckets.
 */
export function resolveDashboardRange(
  params: Record<string, string | string[] | undefined>,
  now: number,
): DashboardRange {
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const p = DashboardRangeParamsSchema.parse({
    range: first(params.range),
    from: first(params.from),
    to: first(params.to),
  });
  if (p.range !== "custom") {
    const { spanMs, bucket } = PRESETS[p.range];
    const to = ceilTo(now + 1, BUCKET_MS[bucket]);
    return { preset: p.range, from: new Date(to - spanMs), to: new Date(to), bucket };
  }
  const from = parseUtc(p.from);
  const to = parseUtc(p.to) ?? now;
  if (from === null) throw new DashboardRangeError("custom range: enter a valid start time");
  if (to <= from) throw new DashboardRangeError("custom range: the end must be after the start");
  const bucket = bucketForSpan(to - from);
  if (bucket === "minute" && now - from > 7 * DAY) {
    // Minute rollups older than 7 days are gone; hour buckets still cover the range.
    return custom(from, to, "hour");
  }
  return custom(from, to, bucket);
}

function custom(from: number, to: number, bucket: RollupBucketSize): DashboardRange {
  const step = BUCKET_MS[bucket];
  return {
    preset: "custom",
    from: new Date(floorTo(from, step)),
    to: new Date(ceilTo(to, step)),
    bucket,
  };
}
