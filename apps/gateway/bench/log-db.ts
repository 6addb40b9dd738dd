import type { Db } from "@429chain/db";
import { type SQL, sql } from "drizzle-orm";

/** Rows of a raw query (node-postgres result). */
export async function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
  return ((await db.execute(query)) as unknown as { rows: T[] }).rows;
}

/** Requests counted by the day rollups: committed in the same transaction as the raw rows. */
export async function rolledUpRequests(db: Db): Promise<number> {
  const [r] = await queryRows<{ n: string }>(
    db,
    sql`SELECT coalesce(sum(requests), 0) AS n FROM usage_rollups WHERE bucket_size = 'day'`,
  );
  return Number(r?.n ?? 0);
}

export interface LogCounts {
  requests: number;
  attempts: number;
  /** Sum of `requests` over the rollups of each bucket size; each must equal `requests`. */
  rollupTotals: Record<string, number>;
  /** Rollup rows per bucket size. */
  rollupRows: Record<string, number>;
}

export async function countLogs(db: Db): Promise<LogCounts> {
  const [raw] = await queryRows<{ requests: string; attempts: string }>(
    db,
    sql`SELECT (SELECT count(*) FROM request_logs) AS requests,
               (SELECT count(*) FROM request_attempts) AS attempts`,
  );
  const rollups = await queryRows<{ size: string; total: string; n: string }>(
    db,
    sql`SELECT bucket_size AS size, sum(requests) AS total, count(*) AS n
        FROM usage_rollups GROUP BY bucket_size ORDER BY bucket_size`,
  );
  return {
    requests: Number(raw?.requests ?? 0),
    attempts: Number(raw?.attempts ?? 0),
    rollupTotals: Object.fromEntries(rollups.map((r) => [r.size, Number(r.total)])),
    rollupRows: Object.fromEntries(rollups.map((r) => [r.size, Number(r.n)])),
  };
}

/** "ok" when the raw rows and every bucket size's rollup total equal `expected`. */
export function checkTotals(counts: LogCounts, expected: number): string {
  const wrong = [
    counts.requests === expected ? null : `request_logs ${counts.requests}`,
    ...["minute", "hour", "day"].map((size) =>
      counts.rollupTotals[size] === expected
        ? null
        : `${size} rollups ${counts.rollupTotals[size] ?? 0}`,
    ),
  ].filter((w) => w !== null);
  return wrong.length === 0 ? "ok" : `MISMATCH (expected ${expected}): ${wrong.join(", ")}`;
}
