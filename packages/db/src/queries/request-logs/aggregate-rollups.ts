import type { RequestLogJob } from "@429chain/contracts";
import {
  LATENCY_BUCKET_BOUNDS_MS,
  LATENCY_HISTOGRAM_LENGTH,
  type RollupBucketSize,
} from "../../schema/usage-rollups";

export type RollupRow = {
  bucketSize: RollupBucketSize;
  bucketStart: Date;
  provider: string;
  model: string;
  chain: string;
  apiKey: string;
  requests: number;
  successes: number;
  clientErrors: number;
  exhausted: number;
  failed: number;
  timeouts: number;
  cancelled: number;
  rejected: number;
  rateLimitedAttempts: number;
  waterfalledRequests: number;
  skippedAttempts: number;
  promptTokens: number;
  completionTokens: number;
  latencySumMs: number;
  costMicros: number;
  savedMicros: number;
  latencyMaxMs: number;
  latencyHistogram: number[];
};

/** The RollupRow fields that add up (the maximum and the histogram merge differently). */
type SummedCounter = Exclude<
  keyof RollupRow,
  | "bucketSize"
  | "bucketStart"
  | "provider"
  | "model"
  | "chain"
  | "apiKey"
  | "latencyMaxMs"
  | "latencyHistogram"
>;

/**
 * Each summed counter's column and type. Keyed by field, so a counter added to RollupRow
 * does not compile until it has a column here, and every writer and merge reads this list.
 */
export const COUNTER_COLUMNS: Readonly<
  Record<SummedCounter, readonly [string, "integer" | "bigint"]>
> = {
  requests: ["requests", "integer"],
  successes: ["successes", "integer"],
  clientErrors: ["client_errors", "integer"],
  exhausted: ["exhausted", "integer"],
  failed: ["failed", "integer"],
  timeouts: ["timeouts", "integer"],
  cancelled: ["cancelled", "integer"],
  rejected: ["rejected", "integer"],
  rateLimitedAttempts: ["rate_limited_attempts", "integer"],
  waterfalledRequests: ["waterfalled_requests", "integer"],
  skippedAttempts: ["skipped_attempts", "integer"],
  promptTokens: ["prompt_tokens", "bigint"],
  completionTokens: ["completion_tokens", "bigint"],
  latencySumMs: ["latency_sum_ms", "bigint"],
  costMicros: ["cost_micros", "bigint"],
  savedMicros: ["saved_micros", "bigint"],
};
const SUMMED_COUNTERS = Object.keys(COUNTER_COLUMNS) as SummedCounter[];

const BUCKET_MS: Record<RollupBucketSize, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

/** Start of the UTC bucket holding `at` (epoch ms). */
export function bucketStartOf(at: number, size: RollupBucketSize): number {
  return Math.floor(at / BUCKET_MS[size]) * BUCKET_MS[size];
}

/** Index of the histogram bucket for a latency: first bound ≥ it, else the overflow bucket. */
function latencyBucketIndex(latencyMs: number): number {
  const i = LATENCY_BUCKET_BOUNDS_MS.findIndex((bound) => latencyMs <= bound);
  return i === -1 ? LATENCY_BUCKET_BOUNDS_MS.length : i;
}

const OUTCOME_COUNTER = {
  ok: "successes",
  client_error: "clientErrors",
  exhausted: "exhausted",
  failed: "failed",
  timeout: "timeouts",
  cancelled: "cancelled",
  rejected: "rejected",
} as const satisfies Record<RequestLogJob["outcome"], keyof RollupRow>;

function emptyRow(job: RequestLogJob, size: RollupBucketSize): RollupRow {
  return {
    bucketSize: size,
    bucketStart: new Date(bucketStartOf(job.at, size)),
    provider: job.provider ?? "",
    model: job.model ?? "",
    chain: job.chain,
    apiKey: job.apiKeyId ?? "",
    requests: 0,
    successes: 0,
    clientErrors: 0,
    exhausted: 0,
    failed: 0,
    timeouts: 0,
    cancelled: 0,
    rejected: 0,
    rateLimitedAttempts: 0,
    waterfalledRequests: 0,
    skippedAttempts: 0,
    promptTokens: 0,
    completionTokens: 0,
    latencySumMs: 0,
    costMicros: 0,
    savedMicros: 0,
    latencyMaxMs: 0,
    latencyHistogram: new Array<number>(LATENCY_HISTOGRAM_LENGTH).fill(0),
  };
}

function addJob(row: RollupRow, job: RequestLogJob): void {
  row.requests += 1;
  row[OUTCOME_COUNTER[job.outcome]] += 1;
  for (const a of job.attempts) {
    if (a.outcome === "rate_limited") row.rateLimitedAttempts += 1;
    if (
      a.outcome === "skipped_cooldown" ||
      a.outcome === "skipped_quota" ||
      a.outcome === "skipped_budget"
    ) {
      row.skippedAttempts += 1;
    }
  }
  if (job.attempts.length > 1) row.waterfalledRequests += 1;
  row.promptTokens += job.promptTokens;
  row.completionTokens += job.completionTokens;
  row.latencySumMs += job.latencyMs;
  row.costMicros += job.costMicros ?? 0;
  row.savedMicros += job.savedMicros ?? 0;
  row.latencyMaxMs = Math.max(row.latencyMaxMs, job.latencyMs);
  const i = latencyBucketIndex(job.latencyMs);
  row.latencyHistogram[i] = (row.latencyHistogram[i] ?? 0) + 1;
}

/**
 * Minute, hour and day rollup rows for the jobs, one per key, sorted by key so concurrent
 * batches take row locks in the same order.
 */
export function aggregateRollups(jobs: readonly RequestLogJob[]): RollupRow[] {
  const rows = new Map<string, RollupRow>();
  for (const job of jobs) {
    for (const size of ["minute", "hour", "day"] as const) {
      const start = bucketStartOf(job.at, size);
      const key = JSON.stringify([
        size,
        start,
        job.provider ?? "",
        job.model ?? "",
        job.chain,
        job.apiKeyId ?? "",
      ]);
      let row = rows.get(key);
      if (!row) {
        row = emptyRow(job, size);
        rows.set(key, row);
      }
      addJob(row, job);
    }
  }
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}

/** The rollup rows folded over every dimension: one usage_totals row per bucket. */
export function aggregateTotals(rows: readonly RollupRow[]): RollupRow[] {
  const totals = new Map<string, RollupRow>();
  for (const row of rows) {
    const key = `${row.bucketSize} ${row.bucketStart.getTime()}`;
    const total = totals.get(key);
    if (!total) {
      totals.set(key, {
        ...row,
        provider: "",
        model: "",
        chain: "",
        apiKey: "",
        latencyHistogram: [...row.latencyHistogram],
      });
      continue;
    }
    for (const counter of SUMMED_COUNTERS) total[counter] += row[counter];
    total.latencyMaxMs = Math.max(total.latencyMaxMs, row.latencyMaxMs);
    row.latencyHistogram.forEach((n, i) => {
      total.latencyHistogram[i] = (total.latencyHistogram[i] ?? 0) + n;
    });
  }
  return [...totals.keys()].sort().map((k) => totals.get(k) as RollupRow);
}
