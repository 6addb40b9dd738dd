import type { RequestLogAttempt, RequestLogJob } from "@429chain/contracts";
import type { RollupBucketSize } from "../../schema/usage-rollups";
import { bucketStartOf } from "./aggregate-rollups";

export type EntryRollupRow = {
  bucketSize: RollupBucketSize;
  bucketStart: Date;
  provider: string;
  model: string;
  chain: string;
  attempts: number;
  ok: number;
  rateLimited: number;
  quotaExhausted: number;
  skipped: number;
  errors: number;
  /** Micro-dollars of the requests this entry served (its `ok` attempt). */
  costMicros: number;
};

/** The counter each attempt outcome adds to; cancelled and rejected count only as attempts. */
const COUNTER: Record<
  RequestLogAttempt["outcome"],
  "ok" | "rateLimited" | "quotaExhausted" | "skipped" | "errors" | null
> = {
  ok: "ok",
  rate_limited: "rateLimited",
  quota_exhausted: "quotaExhausted",
  skipped_cooldown: "skipped",
  skipped_quota: "skipped",
  skipped_unsupported: "skipped",
  skipped_no_key: "skipped",
  skipped_budget: "skipped",
  auth_failed: "errors",
  upstream_error: "errors",
  timeout: "errors",
  client_error: "errors",
  rejected: null,
  cancelled: null,
};

/** Minute, hour and day rows per attempted entry, sorted by key (same lock order everywhere). */
export function aggregateEntryRollups(jobs: readonly RequestLogJob[]): EntryRollupRow[] {
  const rows = new Map<string, EntryRollupRow>();
  for (const job of jobs) {
    for (const attempt of job.attempts) {
      for (const size of ["minute", "hour", "day"] as const) {
        const start = bucketStartOf(job.at, size);
        const key = JSON.stringify([size, start, attempt.provider, attempt.model, job.chain]);
        let row = rows.get(key);
        if (!row) {
          row = {
            bucketSize: size,
            bucketStart: new Date(start),
            provider: attempt.provider,
            model: attempt.model,
            chain: job.chain,
            attempts: 0,
            ok: 0,
            rateLimited: 0,
            quotaExhausted: 0,
            skipped: 0,
            errors: 0,
            costMicros: 0,
          };
          rows.set(key, row);
        }
        row.attempts += 1;
        const counter = COUNTER[attempt.outcome];
        if (counter) row[counter] += 1;
        if (attempt.outcome === "ok") row.costMicros += job.costMicros ?? 0;
      }
    }
  }
  return [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r);
}
