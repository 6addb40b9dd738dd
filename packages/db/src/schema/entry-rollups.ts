import { sql } from "drizzle-orm";
import { bigint, check, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import type { RollupBucketSize } from "./usage-rollups";

/**
 * Attempts per bucket × chain entry (the provider/model each attempt went to, not the one that
 * finally served) × chain: what the per-entry 429 counts are read from, without raw rows.
 */
export const entryRollups = pgTable(
  "entry_rollups",
  {
    bucketSize: text("bucket_size").$type<RollupBucketSize>().notNull(),
    bucketStart: timestamp("bucket_start", { withTimezone: true }).notNull(),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    chain: text("chain").notNull(),
    /** Every attempt, skipped ones included. */
    attempts: integer("attempts").notNull(),
    ok: integer("ok").notNull(),
    rateLimited: integer("rate_limited").notNull(),
    quotaExhausted: integer("quota_exhausted").notNull(),
    /** skipped_cooldown + skipped_quota: no upstream call was made. */
    skipped: integer("skipped").notNull(),
    /** upstream_error, timeout, auth_failed and client_error. */
    errors: integer("errors").notNull(),
    /** Micro-dollars spent on requests this entry served. */
    costMicros: bigint("cost_micros", { mode: "number" }).notNull().default(0),
  },
  (t) => [
    primaryKey({
      name: "entry_rollups_pk",
      columns: [t.bucketSize, t.bucketStart, t.provider, t.model, t.chain],
    }),
    check("entry_rollups_bucket_size_check", sql`${t.bucketSize} IN ('minute', 'hour', 'day')`),
  ],
);
