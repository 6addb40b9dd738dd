import {
  RequestLogBatchSchema,
  type RequestLogJob,
  RequestLogJobSchema,
} from "@429chain/contracts";
import {
  type Db,
  isDatabaseUnavailable,
  type ProcessBatchResult,
  processRequestLogBatch,
} from "@429chain/db";
import { REQUEST_LOGS_QUEUE } from "@429chain/queue";
import { type ConnectionOptions, type Job, UnrecoverableError, Worker } from "bullmq";
import type { Logger } from "pino";
import type { z } from "zod";
import type { WorkerMetrics } from "../metrics";
import { createMicroBatch } from "./micro-batch";

interface RequestLogsWorkerOptions {
  db: Db;
  connection: ConnectionOptions;
  /** BullMQ prefix, without a trailing ":". */
  prefix: string;
  /** Queue jobs (each a producer batch of logs) in hand at once. */
  concurrency: number;
  /** Logs per database transaction: jobs are merged until they carry this many. */
  batchSize: number;
  flushMs: number;
  /** BullMQ lock duration and stalled check interval: how soon a dead worker's jobs return. */
  jobLockMs: number;
  /** Recorded with each log the database refuses, e.g. `worker:<host>`. */
  source: string;
  metrics: WorkerMetrics;
  logger: Logger;
}

interface Item {
  logs: RequestLogJob[];
  enqueuedAt: number;
}

/**
 * How many times a job whose worker died (killed, out of memory, node lost) is taken back
 * before BullMQ fails it for good. Storing is idempotent, so taking a job back never double
 * counts; BullMQ's default of 1 lost every log of a job in hand at two crashes in a row, and
 * each crash takes every job the worker had in hand with it, not only the one to blame.
 */
const MAX_STALLED = 10;

/** How long the queue pauses after a batch found the database unreachable, by streak. */
const pauseMs = (streak: number) => Math.min(500 * 2 ** streak, 5_000);

const describeIssues = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");

/** Splits a job's logs into valid ones and a reason for each invalid one. */
function parseLogs(data: unknown): { logs: RequestLogJob[]; invalid: string[] } {
  const batch = RequestLogBatchSchema.safeParse(data);
  if (!batch.success) return { logs: [], invalid: [`batch: ${describeIssues(batch.error)}`] };
  const logs: RequestLogJob[] = [];
  const invalid: string[] = [];
  batch.data.logs.forEach((raw, i) => {
    const log = RequestLogJobSchema.safeParse(raw);
    if (log.success) logs.push(log.data);
    else invalid.push(`logs[${i}]: ${describeIssues(log.error)}`);
  });
  return { logs, invalid };
}

/**
 * Each queue job carries a batch of logs; jobs are merged into micro-batches and one
 * transaction stores a micro-batch. A log the database refuses is parked in
 * request_log_dead_letters and the rest is stored (processRequestLogBatch isolates it), so
 * its job completes. If the batch fails anyway, every job in it is retried (the database
 * deduplicates by request id, so a retry never double counts):
 * - database unreachable (down, restarting, out of connections): the whole queue pauses and
 *   the jobs go back to waiting without using up an attempt, so an outage of any length
 *   loses nothing; the pause grows from 0.5 s to 5 s while the outage lasts;
 * - anything else (a deadlock, a serialization failure): BullMQ's attempts with backoff.
 * A job with invalid logs stores its valid ones, then fails for good with the reasons.
 */
export function createRequestLogsWorker(options: RequestLogsWorkerOptions): Worker {
  const { metrics, logger } = options;
  let unavailableStreak = 0;
  const batch = createMicroBatch<Item, ProcessBatchResult>({
    maxSize: options.batchSize,
    flushMs: options.flushMs,
    sizeOf: (item) => item.logs.length,
    run: async (items) => {
      const end = metrics.batchSeconds.startTimer();
      const logs = items.flatMap((i) => i.logs);
      try {
        const result = await processRequestLogBatch(options.db, logs, { source: options.source });
        unavailableStreak = 0;
        metrics.batches.inc({ result: "ok" });
        metrics.jobs.inc({ result: "inserted" }, result.inserted);
        metrics.jobs.inc({ result: "duplicate" }, result.duplicates);
        if (result.deadLettered > 0) {
          metrics.deadLettered.inc(result.deadLettered);
          logger.warn(
            { deadLettered: result.deadLettered, logs: logs.length },
            "request logs refused by the database, parked in request_log_dead_letters",
          );
        }
        const oldest = Math.min(...items.map((i) => i.enqueuedAt));
        metrics.lagSeconds.set((Date.now() - oldest) / 1000);
        return result;
      } catch (err) {
        metrics.batches.inc({ result: "error" });
        const unavailable = isDatabaseUnavailable(err);
        // Once per failed batch (not per job in it), so the pause grows 0.5 s, 1 s, 2 s, …
        if (unavailable) unavailableStreak += 1;
        const reason = unavailable ? "db_unavailable" : "batch";
        metrics.failures.inc({ reason }, logs.length);
        logger.warn({ err, logs: logs.length }, "request-log batch failed, will be retried");
        throw err;
      } finally {
        end();
      }
    },
  });

  const worker = new Worker(
    REQUEST_LOGS_QUEUE,
    async (job: Job) => {
      const { logs, invalid } = parseLogs(job.data);
      try {
        if (logs.length > 0) await batch.add({ logs, enqueuedAt: job.timestamp });
      } catch (err) {
        if (!isDatabaseUnavailable(err)) throw err;
        await worker.rateLimit(pauseMs(unavailableStreak - 1));
        throw Worker.RateLimitError();
      }
      if (invalid.length > 0) {
        metrics.failures.inc({ reason: "invalid" }, invalid.length);
        throw new UnrecoverableError(`invalid RequestLogJob: ${invalid.join(" | ")}`);
      }
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      lockDuration: options.jobLockMs,
      stalledInterval: options.jobLockMs,
      maxStalledCount: MAX_STALLED,
    },
  );
  // Connection errors are retried by ioredis; without a listener they would crash the process.
  worker.on("error", (err) => logger.error({ err }, "worker error"));
  return worker;
}
