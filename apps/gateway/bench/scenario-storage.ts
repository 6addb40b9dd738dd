/**
 * storage (issue 4): bytes on disk per logged request, raw rows and rollups.
 *
 * Measured on the stats scenario's database (loaded once when both run; sized by
 * BENCH_STATS_REQUESTS, default 1,000,000 over 30 days, see scenario-stats.ts).
 */
import { sql } from "drizzle-orm";
import type { ScenarioResult } from "./bench-types";
import { fmtNum } from "./format";
import { countLogs, queryRows } from "./log-db";
import { logVolume } from "./log-volume";

const TABLES = [
  "request_logs",
  "request_attempts",
  "usage_rollups",
  "usage_totals",
  "entry_rollups",
] as const;
const RAW: ReadonlySet<string> = new Set(["request_logs", "request_attempts"]);
const MINUTE_ROLLUP_DAYS = 7;

const mib = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MiB`;

export async function runStorage(): Promise<ScenarioResult> {
  const v = await logVolume();
  const db = v.db.handle.db;
  const counts = await countLogs(db);
  const sizes = await queryRows<{ name: string; heap: string; indexes: string; total: string }>(
    db,
    sql`SELECT c.relname AS name,
               pg_table_size(c.oid) AS heap,
               pg_indexes_size(c.oid) AS indexes,
               pg_total_relation_size(c.oid) AS total
        FROM pg_class c
        WHERE c.relname IN ('request_logs', 'request_attempts', 'usage_rollups', 'usage_totals',
                            'entry_rollups')`,
  );
  const [recent] = await queryRows<{ n: string }>(
    db,
    sql`SELECT count(*) AS n FROM usage_rollups
        WHERE bucket_size = 'minute'
          AND bucket_start >= now() - make_interval(days => ${MINUTE_ROLLUP_DAYS})`,
  );
  const [entryRows] = await queryRows<{ n: string }>(
    db,
    sql`SELECT count(*) AS n FROM entry_rollups`,
  );
  const [totalRows] = await queryRows<{ n: string }>(
    db,
    sql`SELECT count(*) AS n FROM usage_totals`,
  );
  const byName = new Map(sizes.map((s) => [s.name, s]));
  const rowsOf: Record<string, number> = {
    request_logs: counts.requests,
    request_attempts: counts.attempts,
    usage_rollups: Object.values(counts.rollupRows).reduce((a, b) => a + b, 0),
    usage_totals: Number(totalRows?.n ?? 0),
    entry_rollups: Number(entryRows?.n ?? 0),
  };
  const perRequest = (bytes: number) => bytes / v.requests;
  const tableRows = TABLES.map((name) => {
    const s = byName.get(name);
    const total = Number(s?.total ?? 0);
    return {
      name,
      cells: [
        name,
        fmtNum(rowsOf[name]),
        mib(Number(s?.heap ?? 0)),
        mib(Number(s?.indexes ?? 0)),
        mib(total),
        fmtNum(perRequest(total)),
      ],
      total,
    };
  });
  const raw = tableRows.filter((r) => RAW.has(r.name)).reduce((n, r) => n + r.total, 0);
  const rollups = tableRows.filter((r) => !RAW.has(r.name)).reduce((n, r) => n + r.total, 0);
  const all = raw + rollups;
  const minuteRows = counts.rollupRows.minute ?? 0;
  return {
    name: "storage",
    tables: [
      {
        title: `storage: ${fmtNum(v.requests)} logged requests over 30 days (after VACUUM ANALYZE)`,
        headers: ["relation", "rows", "table", "indexes", "total", "bytes/request"],
        rows: [
          ...tableRows.map((r) => r.cells),
          ["raw (logs + attempts)", "", "", "", mib(raw), fmtNum(perRequest(raw))],
          ["all", "", "", "", mib(all), fmtNum(perRequest(all))],
        ],
      },
      {
        title: "storage: rollup rows per bucket size",
        headers: ["bucket", "rows", "rows per 1,000 requests", "requests counted"],
        rows: ["minute", "hour", "day"].map((size) => [
          size,
          fmtNum(counts.rollupRows[size] ?? 0),
          fmtNum(((counts.rollupRows[size] ?? 0) / v.requests) * 1000, 1),
          fmtNum(counts.rollupTotals[size] ?? 0),
        ]),
      },
    ],
    summary: [
      {
        figure: "storage: bytes per logged request, raw + rollups",
        value: `${fmtNum(perRequest(all))} (raw ${fmtNum(perRequest(raw))}, rollups ${fmtNum(perRequest(rollups))})`,
        target: "report",
      },
    ],
    figures: {
      requests: v.requests,
      ...Object.fromEntries(tableRows.map((r) => [`${r.name}Bytes`, r.total])),
      rawBytesPerRequest: perRequest(raw),
      rollupBytesPerRequest: perRequest(rollups),
      totalBytesPerRequest: perRequest(all),
      ...Object.fromEntries(
        Object.entries(counts.rollupRows).map(([k, n]) => [`${k}RollupRows`, n]),
      ),
      minuteRollupRowsWithin7Days: Number(recent?.n ?? 0),
    },
    notes: [
      `Sizes: the stats scenario's database (BENCH_STATS_REQUESTS=${v.requests}).`,
      "Sizes are pg_table_size (heap + TOAST), pg_indexes_size and pg_total_relation_size; rollups are upserted many times, so their tables carry the dead-tuple space autovacuum leaves for reuse.",
      `Retention keeps minute rollups ${MINUTE_ROLLUP_DAYS} days: ${fmtNum(Number(recent?.n ?? 0))} of the ${fmtNum(minuteRows)} minute rows here are that recent; raw rows are kept 30 days (LOG_RETENTION_DAYS).`,
    ],
  };
}
