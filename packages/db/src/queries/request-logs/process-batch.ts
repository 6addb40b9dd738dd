import type { RequestLogJob } from "@429chain/contracts";
import { getTableColumns, sql } from "drizzle-orm";
import type { Db, DbExecutor } from "../../create-db";
import { entryRollups } from "../../schema/entry-rollups";
import { requestAttempts, requestLogs } from "../../schema/request-logs";
import { usageRollups } from "../../schema/usage-rollups";
import { aggregateEntryRollups, type EntryRollupRow } from "./aggregate-entry-rollups";
import { aggregateRollups, type RollupRow } from "./aggregate-rollups";

export interface ProcessBatchResult {
  inserted: number;
  duplicates: number;
}

// Keeps every multi-row statement well under Postgres' 65,535 bind parameters.
const CHUNK = 1000;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const SUMMED = [
  "requests",
  "successes",
  "client_errors",
  "exhausted",
  "failed",
  "timeouts",
  "cancelled",
  "rejected",
  "rate_limited_attempts",
  "waterfalled_requests",
  "skipped_attempts",
  "prompt_tokens",
  "completion_tokens",
  "latency_sum_ms",
] as const;

const SUMMED_NAMES: ReadonlySet<string> = new Set(SUMMED);

// `set` is keyed by property name; each summed column adds the excluded (new) value.
const ROLLUP_UPDATE = {
  ...Object.fromEntries(
    Object.entries(getTableColumns(usageRollups))
      .filter(([, col]) => SUMMED_NAMES.has(col.name))
      .map(([prop, col]) => [prop, sql.raw(`usage_rollups.${col.name} + excluded.${col.name}`)]),
  ),
  latencyMaxMs: sql.raw("GREATEST(usage_rollups.latency_max_ms, excluded.latency_max_ms)"),
  latencyHistogram: sql.raw(
    "ARRAY(SELECT a + b FROM unnest(usage_rollups.latency_histogram, excluded.latency_histogram) WITH ORDINALITY AS u(a, b, i) ORDER BY i)",
  ),
};

const ENTRY_SUMMED = [
  "attempts",
  "ok",
  "rateLimited",
  "quotaExhausted",
  "skipped",
  "errors",
] as const;
const ENTRY_ROLLUP_UPDATE = Object.fromEntries(
  ENTRY_SUMMED.map((prop) => {
    const name = entryRollups[prop].name;
    return [prop, sql.raw(`entry_rollups.${name} + excluded.${name}`)];
  }),
);

async function insertRequests(
  tx: DbExecutor,
  jobs: readonly RequestLogJob[],
): Promise<Set<string>> {
  const inserted = new Set<string>();
  for (const part of chunks(jobs)) {
    const rows = await tx
      .insert(requestLogs)
      .values(
        part.map((j) => ({
          requestId: j.requestId,
          at: new Date(j.at),
          apiKeyId: j.apiKeyId,
          chain: j.chain,
          provider: j.provider,
          model: j.model,
          stream: j.stream,
          outcome: j.outcome,
          httpStatus: j.httpStatus,
          errorCode: j.errorCode,
          promptTokens: j.promptTokens,
          completionTokens: j.completionTokens,
          tokensEstimated: j.tokensEstimated,
          latencyMs: j.latencyMs,
          ttfbMs: j.ttfbMs,
          replica: j.replica,
        })),
      )
      .onConflictDoNothing({ target: requestLogs.requestId })
      .returning({ requestId: requestLogs.requestId });
    for (const r of rows) inserted.add(r.requestId);
  }
  return inserted;
}

async function insertAttempts(tx: DbExecutor, jobs: readonly RequestLogJob[]): Promise<void> {
  const rows = jobs.flatMap((j) =>
    j.attempts.map((a, position) => ({ requestId: j.requestId, position, ...a })),
  );
  for (const part of chunks(rows)) {
    await tx.insert(requestAttempts).values(part);
  }
}

async function upsertRollups(tx: DbExecutor, rows: readonly RollupRow[]): Promise<void> {
  for (const part of chunks(rows, 500)) {
    await tx
      .insert(usageRollups)
      .values(part)
      .onConflictDoUpdate({
        target: [
          usageRollups.bucketSize,
          usageRollups.bucketStart,
          usageRollups.provider,
          usageRollups.model,
          usageRollups.chain,
          usageRollups.apiKey,
        ],
        set: ROLLUP_UPDATE,
      });
  }
}

async function upsertEntryRollups(tx: DbExecutor, rows: readonly EntryRollupRow[]) {
  for (const part of chunks(rows, 1000)) {
    await tx
      .insert(entryRollups)
      .values(part)
      .onConflictDoUpdate({
        target: [
          entryRollups.bucketSize,
          entryRollups.bucketStart,
          entryRollups.provider,
          entryRollups.model,
          entryRollups.chain,
        ],
        set: ENTRY_ROLLUP_UPDATE,
      });
  }
}

/**
 * Stores a batch of request-log jobs exactly once, in one transaction: request rows keyed by
 * request id (`ON CONFLICT DO NOTHING`), attempts and rollup increments only for the rows this
 * call inserted. A re-delivered or overlapping batch never double counts.
 */
export async function processRequestLogBatch(
  db: Db,
  jobs: readonly RequestLogJob[],
): Promise<ProcessBatchResult> {
  if (jobs.length === 0) return { inserted: 0, duplicates: 0 };
  // The same request twice in one batch is a duplicate too: keep the first.
  const byId = new Map<string, RequestLogJob>();
  for (const j of jobs) if (!byId.has(j.requestId)) byId.set(j.requestId, j);
  const firstSeen = [...byId.values()];
  return db.transaction(async (tx) => {
    const inserted = await insertRequests(tx, firstSeen);
    const fresh = firstSeen.filter((j) => inserted.has(j.requestId));
    await insertAttempts(tx, fresh);
    await upsertRollups(tx, aggregateRollups(fresh));
    await upsertEntryRollups(tx, aggregateEntryRollups(fresh));
    return { inserted: fresh.length, duplicates: jobs.length - fresh.length };
  });
}
