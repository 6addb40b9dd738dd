import type { RequestLogJob } from "@429chain/contracts";
import { sql } from "drizzle-orm";
import type { Db, DbExecutor } from "../../create-db";
import { aggregateEntryRollups, type EntryRollupRow } from "./aggregate-entry-rollups";
import {
  aggregateRollups,
  aggregateTotals,
  COUNTER_COLUMNS,
  type RollupRow,
} from "./aggregate-rollups";
import { addExcluded, unnestInsert } from "./unnest-insert";

const rowsOf = (result: unknown) => (result as { rows: Record<string, unknown>[] }).rows;

async function insertRequests(
  tx: DbExecutor,
  jobs: readonly RequestLogJob[],
): Promise<Set<string>> {
  const col = <T>(f: (j: RequestLogJob) => T) => jobs.map(f);
  const result = await tx.execute(
    unnestInsert(
      "request_logs",
      [
        ["request_id", "text", col((j) => j.requestId)],
        ["client_request_id", "text", col((j) => j.clientRequestId)],
        ["api", "text", col((j) => j.api)],
        ["at", "timestamptz", col((j) => new Date(j.at).toISOString())],
        ["api_key_id", "text", col((j) => j.apiKeyId)],
        ["chain", "text", col((j) => j.chain)],
        ["provider", "text", col((j) => j.provider)],
        ["model", "text", col((j) => j.model)],
        ["stream", "boolean", col((j) => j.stream)],
        ["outcome", "text", col((j) => j.outcome)],
        ["http_status", "integer", col((j) => j.httpStatus)],
        ["error_code", "text", col((j) => j.errorCode)],
        ["prompt_tokens", "integer", col((j) => j.promptTokens)],
        ["completion_tokens", "integer", col((j) => j.completionTokens)],
        ["tokens_estimated", "boolean", col((j) => j.tokensEstimated)],
        ["latency_ms", "integer", col((j) => j.latencyMs)],
        ["ttfb_ms", "integer", col((j) => j.ttfbMs)],
        ["cost_micros", "bigint", col((j) => j.costMicros)],
        ["saved_micros", "bigint", col((j) => j.savedMicros)],
        ["replica", "text", col((j) => j.replica)],
      ],
      sql`ON CONFLICT (request_id) DO NOTHING RETURNING request_id`,
    ),
  );
  return new Set(rowsOf(result).map((r) => String(r.request_id)));
}

async function insertAttempts(tx: DbExecutor, jobs: readonly RequestLogJob[]): Promise<void> {
  const rows = jobs.flatMap((j) =>
    j.attempts.map((a, position) => ({ requestId: j.requestId, position, ...a })),
  );
  if (rows.length === 0) return;
  const col = <T>(f: (r: (typeof rows)[number]) => T) => rows.map(f);
  await tx.execute(
    unnestInsert(
      "request_attempts",
      [
        ["request_id", "text", col((r) => r.requestId)],
        ["position", "integer", col((r) => r.position)],
        ["provider", "text", col((r) => r.provider)],
        ["model", "text", col((r) => r.model)],
        ["outcome", "text", col((r) => r.outcome)],
        ["status", "integer", col((r) => r.status)],
        ["latency_ms", "integer", col((r) => r.latencyMs)],
        ["cooldown_until", "bigint", col((r) => r.cooldownUntil)],
      ],
      sql``,
    ),
  );
}

const ROLLUP_COUNTERS = Object.entries(COUNTER_COLUMNS).map(
  ([prop, [name, type]]) => [name, type, prop as keyof RollupRow] as const,
);

const DIMENSIONS = [
  ["provider", "provider"],
  ["model", "model"],
  ["chain", "chain"],
  ["api_key", "apiKey"],
] as const satisfies readonly (readonly [string, keyof RollupRow])[];

/**
 * Adds rollup rows to usage_rollups (per dimension) or usage_totals (no dimensions): the
 * counters are summed, the maximum kept and the histograms added element by element.
 */
async function upsertUsage(
  tx: DbExecutor,
  table: "usage_rollups" | "usage_totals",
  rows: readonly RollupRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(f: (r: RollupRow) => T) => rows.map(f);
  const dimensions = table === "usage_rollups" ? DIMENSIONS : [];
  const key = ["bucket_size", "bucket_start", ...dimensions.map(([name]) => name)].join(", ");
  await tx.execute(
    unnestInsert(
      table,
      [
        ["bucket_size", "text", col((r) => r.bucketSize)],
        ["bucket_start", "timestamptz", col((r) => r.bucketStart.toISOString())],
        ...dimensions.map(([name, prop]) => [name, "text", col((r) => r[prop])] as const),
        ...ROLLUP_COUNTERS.map(([name, type, prop]) => [name, type, col((r) => r[prop])] as const),
        ["latency_max_ms", "integer", col((r) => r.latencyMaxMs)],
        ["latency_histogram", "integer[]", col((r) => `{${r.latencyHistogram.join(",")}}`)],
      ],
      sql`ON CONFLICT (${sql.raw(key)}) DO UPDATE SET
        ${addExcluded(
          table,
          ROLLUP_COUNTERS.map(([name]) => name),
        )},
        latency_max_ms = GREATEST(${sql.raw(table)}.latency_max_ms, excluded.latency_max_ms),
        latency_histogram = ARRAY(
          SELECT coalesce(a, 0) + coalesce(b, 0)
          FROM unnest(${sql.raw(table)}.latency_histogram, excluded.latency_histogram)
            WITH ORDINALITY AS u(a, b, i)
          ORDER BY i)`,
    ),
  );
}

const ENTRY_COUNTERS = [
  ["attempts", "attempts"],
  ["ok", "ok"],
  ["rate_limited", "rateLimited"],
  ["quota_exhausted", "quotaExhausted"],
  ["skipped", "skipped"],
  ["errors", "errors"],
  ["cost_micros", "costMicros"],
] as const satisfies readonly (readonly [string, keyof EntryRollupRow])[];

async function upsertEntryRollups(tx: DbExecutor, rows: readonly EntryRollupRow[]) {
  if (rows.length === 0) return;
  const col = <T>(f: (r: EntryRollupRow) => T) => rows.map(f);
  await tx.execute(
    unnestInsert(
      "entry_rollups",
      [
        ["bucket_size", "text", col((r) => r.bucketSize)],
        ["bucket_start", "timestamptz", col((r) => r.bucketStart.toISOString())],
        ["provider", "text", col((r) => r.provider)],
        ["model", "text", col((r) => r.model)],
        ["chain", "text", col((r) => r.chain)],
        ...ENTRY_COUNTERS.map(
          ([name, prop]) =>
            [name, name === "cost_micros" ? "bigint" : "integer", col((r) => r[prop])] as const,
        ),
      ],
      sql`ON CONFLICT (bucket_size, bucket_start, provider, model, chain) DO UPDATE SET
        ${addExcluded(
          "entry_rollups",
          ENTRY_COUNTERS.map(([name]) => name),
        )}`,
    ),
  );
}

/**
 * Stores distinct request-log jobs in one transaction: request rows keyed by request id
 * (`ON CONFLICT DO NOTHING`), attempts and rollup increments only for the rows this call
 * inserted, so a re-delivered or overlapping batch never double counts. All or nothing: a
 * refused row fails (and rolls back) the whole call. Returns how many rows it inserted.
 */
export async function storeRequestLogs(db: Db, jobs: readonly RequestLogJob[]): Promise<number> {
  if (jobs.length === 0) return 0;
  return db.transaction(async (tx) => {
    const inserted = await insertRequests(tx, jobs);
    const fresh = jobs.filter((j) => inserted.has(j.requestId));
    await insertAttempts(tx, fresh);
    const rollups = aggregateRollups(fresh);
    await upsertUsage(tx, "usage_rollups", rollups);
    await upsertUsage(tx, "usage_totals", aggregateTotals(rollups));
    await upsertEntryRollups(tx, aggregateEntryRollups(fresh));
    return fresh.length;
  });
}
