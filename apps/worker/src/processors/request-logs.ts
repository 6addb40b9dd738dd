import { type RequestLogJob, RequestLogJobSchema } from "@429chain/contracts";
import { type Db, type ProcessBatchResult, processRequestLogBatch } from "@429chain/db";
import { REQUEST_LOGS_QUEUE } from "@429chain/queue";
import { type ConnectionOptions, type Job, UnrecoverableError, Worker } from "bullmq";
import type { Logger } from "pino";
import type { WorkerMetrics } from "../metrics";
import { createMicroBatch } from "./micro-batch";

export interface RequestLogsWorkerOptions {
  db: Db;
  connection: ConnectionOptions;
  /** BullMQ prefix, without a trailing ":". */
  prefix: string;
  concurrency: number;
  batchSize: number;
  flushMs: number;
  metrics: WorkerMetrics;
  logger: Logger;
}

interface Item {
  job: RequestLogJob;
  enqueuedAt: number;
}

/**
 * Each job's processor waits on the micro-batch it joined: one transaction stores the whole
 * batch, and if it fails every job of the batch fails and is retried by BullMQ with backoff.
 */
export function createRequestLogsWorker(options: RequestLogsWorkerOptions): Worker {
  const { metrics, logger } = options;
  const batch = createMicroBatch<Item, ProcessBatchResult>({
    maxSize: options.batchSize,
    flushMs: options.flushMs,
    run: async (items) => {
      const end = metrics.batchSeconds.startTimer();
      try {
        const result = await processRequestLogBatch(
          options.db,
          items.map((i) => i.job),
        );
        metrics.batches.inc({ result: "ok" });
        metrics.jobs.inc({ result: "inserted" }, result.inserted);
        metrics.jobs.inc({ result: "duplicate" }, result.duplicates);
        const oldest = Math.min(...items.map((i) => i.enqueuedAt));
        metrics.lagSeconds.set((Date.now() - oldest) / 1000);
        return result;
      } catch (err) {
        metrics.batches.inc({ result: "error" });
        metrics.failures.inc({ reason: "batch" }, items.length);
        logger.warn({ err, jobs: items.length }, "request-log batch failed, will be retried");
        throw err;
      } finally {
        end();
      }
    },
  });

  const worker = new Worker(
    REQUEST_LOGS_QUEUE,
    async (job: Job) => {
      const parsed = RequestLogJobSchema.safeParse(job.data);
      if (!parsed.success) {
        metrics.failures.inc({ reason: "invalid" });
        const reason = parsed.error.issues
          .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
          .join("; ");
        throw new UnrecoverableError(`invalid RequestLogJob: ${reason}`);
      }
      return batch.add({ job: parsed.data, enqueuedAt: job.timestamp });
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
    },
  );
  // Connection errors are retried by ioredis; without a listener they would crash the process.
  worker.on("error", (err) => logger.error({ err }, "worker error"));
  return worker;
}
