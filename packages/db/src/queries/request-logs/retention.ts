import { sql } from "drizzle-orm";
import type { DbExecutor } from "../../create-db";

function countOf(result: unknown): number {
  // node-postgres and PGlite results differ in type but both carry `rows`.
  const rows = (result as { rows: { n: number | string }[] }).rows;
  return Number(rows[0]?.n ?? 0);
}

/**
 * Deletes raw request rows (and their attempts, by cascade) older than `olderThan`, at most
 * `batchSize` per statement so no statement holds locks for long. Returns how many went.
 */
export async function deleteOldRequestLogs(
  db: DbExecutor,
  options: { olderThan: Date; batchSize: number },
): Promise<number> {
  const before = options.olderThan.toISOString();
  let total = 0;
  for (;;) {
    const result = await db.execute(sql`
      WITH doomed AS (
        SELECT request_id FROM request_logs WHERE at < ${before}::timestamptz
        ORDER BY at LIMIT ${options.batchSize}
      ), gone AS (
        DELETE FROM request_logs r USING doomed d WHERE r.request_id = d.request_id RETURNING 1
      )
      SELECT count(*)::int AS n FROM gone
    `);
    const n = countOf(result);
    total += n;
    if (n < options.batchSize) return total;
  }
}

/**
 * Deletes minute rollups (usage, totals and entry) whose bucket starts before `olderThan`; hour and
 * day rollups stay. Returns how many usage rollup rows went.
 */
export async function deleteOldMinuteRollups(db: DbExecutor, olderThan: Date): Promise<number> {
  const before = olderThan.toISOString();
  for (const table of ["entry_rollups", "usage_totals"]) {
    await db.execute(sql`
      DELETE FROM ${sql.raw(table)}
      WHERE bucket_size = 'minute' AND bucket_start < ${before}::timestamptz
    `);
  }
  const result = await db.execute(sql`
    WITH gone AS (
      DELETE FROM usage_rollups
      WHERE bucket_size = 'minute' AND bucket_start < ${before}::timestamptz
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM gone
  `);
  return countOf(result);
}

export interface RetentionPolicy {
  /** Raw request and attempt rows older than this many days are deleted. */
  logRetentionDays: number;
  /** Minute rollups older than this many days are deleted; hour and day rollups are kept. */
  minuteRollupDays: number;
  /** Rows per DELETE statement. */
  batchSize?: number;
}

const DAY_MS = 86_400_000;

/** One retention pass (the worker runs it on a schedule; the embedded stack in process). */
export async function applyRetention(
  db: DbExecutor,
  policy: RetentionPolicy,
  now: number = Date.now(),
): Promise<{ requests: number; minuteRollups: number }> {
  const requests = await deleteOldRequestLogs(db, {
    olderThan: new Date(now - policy.logRetentionDays * DAY_MS),
    batchSize: policy.batchSize ?? 5_000,
  });
  const minuteRollups = await deleteOldMinuteRollups(
    db,
    new Date(now - policy.minuteRollupDays * DAY_MS),
  );
  return { requests, minuteRollups };
}
