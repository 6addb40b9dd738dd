import { sql } from "drizzle-orm";
import { bigint, check, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

const ROLLUP_BUCKET_SIZES = ["minute", "hour", "day"] as const;
export type RollupBucketSize = (typeof ROLLUP_BUCKET_SIZES)[number];

/**
 * Upper bounds (inclusive, ms) of the latency histogram buckets. The histogram has one more
 * element than this list: the last counts latencies above the final bound. Changing the bounds
 * needs a new rollup table (old rows would be read with the wrong bounds).
 */
export const LATENCY_BUCKET_BOUNDS_MS = [
  25, 50, 100, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10000, 20000, 30000, 60000,
] as const;
export const LATENCY_HISTOGRAM_LENGTH = LATENCY_BUCKET_BOUNDS_MS.length + 1;

/** The counters every usage rollup row carries, summed on upsert (see process-batch.ts). */
function usageCounters() {
  return {
    requests: integer("requests").notNull(),
    successes: integer("successes").notNull(),
    clientErrors: integer("client_errors").notNull(),
    exhausted: integer("exhausted").notNull(),
    failed: integer("failed").notNull(),
    timeouts: integer("timeouts").notNull(),
    cancelled: integer("cancelled").notNull(),
    rejected: integer("rejected").notNull(),
    rateLimitedAttempts: integer("rate_limited_attempts").notNull(),
    waterfalledRequests: integer("waterfalled_requests").notNull(),
    skippedAttempts: integer("skipped_attempts").notNull(),
    promptTokens: bigint("prompt_tokens", { mode: "number" }).notNull(),
    completionTokens: bigint("completion_tokens", { mode: "number" }).notNull(),
    latencySumMs: bigint("latency_sum_ms", { mode: "number" }).notNull(),
    latencyMaxMs: integer("latency_max_ms").notNull(),
    latencyHistogram: integer("latency_histogram").array().notNull(),
    /** Micro-dollars spent (requests of unknown price count 0). */
    costMicros: bigint("cost_micros", { mode: "number" }).notNull().default(0),
    /** Micro-dollars saved against the chains' reference prices. */
    savedMicros: bigint("saved_micros", { mode: "number" }).notNull().default(0),
  };
}

/**
 * Usage per bucket × provider × model × chain × API key, keyed by the request's final
 * provider/model. Null provider/model/key are stored as '' so the primary key works.
 */
export const usageRollups = pgTable(
  "usage_rollups",
  {
    bucketSize: text("bucket_size").$type<RollupBucketSize>().notNull(),
    bucketStart: timestamp("bucket_start", { withTimezone: true }).notNull(),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    chain: text("chain").notNull(),
    apiKey: text("api_key").notNull(),
    ...usageCounters(),
  },
  (t) => [
    primaryKey({
      name: "usage_rollups_pk",
      columns: [t.bucketSize, t.bucketStart, t.provider, t.model, t.chain, t.apiKey],
    }),
    check("usage_rollups_bucket_size_check", sql`${t.bucketSize} IN ('minute', 'hour', 'day')`),
  ],
);

/**
 * The same counters per bucket over everything: what unfiltered stats (the dashboard's
 * headline figures and charts) read, one row per bucket instead of one per combination.
 */
export const usageTotals = pgTable(
  "usage_totals",
  {
    bucketSize: text("bucket_size").$type<RollupBucketSize>().notNull(),
    bucketStart: timestamp("bucket_start", { withTimezone: true }).notNull(),
    ...usageCounters(),
  },
  (t) => [
    primaryKey({ name: "usage_totals_pk", columns: [t.bucketSize, t.bucketStart] }),
    check("usage_totals_bucket_size_check", sql`${t.bucketSize} IN ('minute', 'hour', 'day')`),
  ],
);
