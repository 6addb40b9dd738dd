import type { JobsOptions } from "bullmq";

/** BullMQ queue the gateway writes request logs to and apps/worker consumes. */
export const REQUEST_LOGS_QUEUE = "request-logs";

/** Job name inside the queue; the payload is a RequestLogBatch (see @429chain/contracts). */
export const REQUEST_LOG_BATCH_JOB_NAME = "request-log-batch";

/**
 * Deterministic job id, so a batch sent again (a retried add whose first try actually landed)
 * is deduplicated by BullMQ: a retry resends the same logs from the front of the buffer. Any
 * overlap a differently cut retry leaves is removed by the database, keyed by request id.
 * BullMQ 6 rejects custom ids containing ":", so ":" (and "%", first) are percent-encoded.
 */
export function requestLogBatchJobId(logs: readonly { requestId: string }[]): string {
  const first = logs[0]?.requestId ?? "";
  return `logs-${first.replaceAll("%", "%25").replaceAll(":", "%3A")}-${logs.length}`;
}

/**
 * Per-job options. The worker retries a failing batch (Postgres down) with exponential
 * backoff (1 s doubling, 15 tries: about 4½ hours in all); finished jobs are trimmed so Redis
 * memory stays bounded — the data lives in Postgres once processed, and failed (poison) jobs
 * are kept long enough to inspect.
 */
export const REQUEST_LOG_JOB_OPTIONS = {
  attempts: 15,
  backoff: { type: "exponential", delay: 1_000 },
  removeOnComplete: { count: 1_000, age: 3_600 },
  removeOnFail: { count: 10_000, age: 7 * 24 * 3_600 },
} as const satisfies JobsOptions;

/** Whether Redis Cluster would hash `key` by a tag: a non-empty `{…}`, first '{' and first '}' after it. */
function hasHashTag(key: string): boolean {
  const open = key.indexOf("{");
  const close = open < 0 ? -1 : key.indexOf("}", open + 1);
  return close > open + 1;
}

/**
 * BullMQ's prefix: the deployment's key prefix without its trailing ':' (BullMQ adds its own).
 * On a Redis Cluster every key of a queue must live in one slot (BullMQ's scripts touch
 * several), so there the prefix is a hash tag, `{429chain}`, unless it holds one already.
 * One server and Sentinel keep the untagged prefix: jobs queued before an upgrade stay where
 * the worker looks for them. Moving to a cluster is a move to another Redis anyway; drain the
 * queue first (docs/scaling.md).
 */
export function bullPrefix(keyPrefix: string, options: { cluster?: boolean } = {}): string {
  const base = keyPrefix.endsWith(":") ? keyPrefix.slice(0, -1) : keyPrefix;
  return options.cluster && !hasHashTag(base) ? `{${base}}` : base;
}
