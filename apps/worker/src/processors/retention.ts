import { applyRetention, type Db, type RetentionPolicy } from "@429chain/db";
import { type ConnectionOptions, Queue, Worker } from "bullmq";
import type { Logger } from "pino";
import type { WorkerMetrics } from "../metrics";

/** Queue for scheduled housekeeping; kept apart so it never waits behind request logs. */
const MAINTENANCE_QUEUE = "maintenance";
const RETENTION_SCHEDULER = "retention";

interface RetentionOptions {
  db: Db;
  connection: ConnectionOptions;
  /** BullMQ prefix, without a trailing ":". */
  prefix: string;
  policy: RetentionPolicy;
  everyMs: number;
  metrics: WorkerMetrics;
  logger: Logger;
}

interface RetentionRunner {
  close(): Promise<void>;
}

/**
 * Schedules retention with a BullMQ job scheduler: however many workers run, each interval
 * produces one job and one worker deletes in bounded batches. A failed pass is retried by the
 * next interval; an upsert from a worker with a different interval replaces the schedule.
 */
export async function startRetention(options: RetentionOptions): Promise<RetentionRunner> {
  const { metrics, logger } = options;
  const queue = new Queue(MAINTENANCE_QUEUE, {
    connection: options.connection,
    prefix: options.prefix,
  });
  queue.on("error", (err) => logger.error({ err }, "maintenance queue error"));
  await queue.upsertJobScheduler(
    RETENTION_SCHEDULER,
    { every: options.everyMs },
    { name: RETENTION_SCHEDULER, opts: { removeOnComplete: 10, removeOnFail: 50 } },
  );
  const worker = new Worker(
    MAINTENANCE_QUEUE,
    async () => {
      const deleted = await applyRetention(options.db, options.policy);
      metrics.retentionDeleted.inc({ kind: "request" }, deleted.requests);
      metrics.retentionDeleted.inc({ kind: "minute_rollup" }, deleted.minuteRollups);
      logger.info(deleted, "retention pass done");
      return deleted;
    },
    { connection: options.connection, prefix: options.prefix, concurrency: 1 },
  );
  worker.on("error", (err) => logger.error({ err }, "maintenance worker error"));
  worker.on("failed", (_job, err) => logger.warn({ err }, "retention pass failed"));
  return {
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}
