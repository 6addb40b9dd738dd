import { hostname } from "node:os";
import type { Db, RetentionPolicy } from "@429chain/db";
import { bullPrefix, REQUEST_LOGS_QUEUE } from "@429chain/queue";
import { isCluster, type RedisClient } from "@429chain/redis";
import { Queue, type Worker } from "bullmq";
import pino, { type Logger } from "pino";
import { createWorkerMetrics, type WorkerMetrics } from "./metrics";
import { createRequestLogsWorker } from "./processors/request-logs";
import { startRetention } from "./processors/retention";
import { startHealthServer } from "./server";

interface StartWorkerDeps {
  db: Db;
  /** A worker-role client (maxRetriesPerRequest: null); the caller owns and closes it. */
  redis: RedisClient;
  /** REDIS_KEY_PREFIX; BullMQ keys live under it. */
  keyPrefix: string;
  /** Health/metrics port; null for none, 0 for any free port. */
  port: number | null;
  /** Queue jobs in hand at once (each job is one gateway batch of up to 200 logs). */
  concurrency?: number;
  /** Logs per database transaction. */
  batchSize?: number;
  flushMs?: number;
  /** How long a dead worker's jobs wait before another worker takes them (default 30 s). */
  jobLockMs?: number;
  retention?: RetentionPolicy & { everyMs: number };
  /** Recorded with each log the database refuses; default `worker:<host name>`. */
  source?: string;
  logger?: Logger;
}

export interface RunningWorker {
  worker: Worker;
  queue: Queue;
  metrics: WorkerMetrics;
  port: number | null;
  /** Stops taking jobs, lets the batch in hand finish, then closes server and queue. */
  close(): Promise<void>;
}

const DEFAULT_RETENTION = { logRetentionDays: 30, minuteRollupDays: 7, everyMs: 3_600_000 };

export async function startWorker(deps: StartWorkerDeps): Promise<RunningWorker> {
  const logger = deps.logger ?? pino({ level: "silent" });
  const prefix = bullPrefix(deps.keyPrefix, { cluster: isCluster(deps.redis) });
  const queue = new Queue(REQUEST_LOGS_QUEUE, { connection: deps.redis, prefix });
  queue.on("error", (err) => logger.error({ err }, "queue error"));
  const metrics = createWorkerMetrics(queue);
  const batchSize = deps.batchSize ?? 1_000;
  const worker = createRequestLogsWorker({
    db: deps.db,
    connection: deps.redis,
    prefix,
    batchSize,
    concurrency: deps.concurrency ?? 10,
    flushMs: deps.flushMs ?? 200,
    jobLockMs: deps.jobLockMs ?? 30_000,
    source: deps.source ?? `worker:${hostname()}`,
    metrics,
    logger,
  });
  const retention = await startRetention({
    db: deps.db,
    connection: deps.redis,
    prefix,
    policy: deps.retention ?? DEFAULT_RETENTION,
    everyMs: deps.retention?.everyMs ?? DEFAULT_RETENTION.everyMs,
    metrics,
    logger,
  });
  let running = true;
  const server =
    deps.port === null
      ? null
      : await startHealthServer({
          port: deps.port,
          registry: metrics.registry,
          isRunning: () => running && worker.isRunning(),
        });
  return {
    worker,
    queue,
    metrics,
    port: server?.port ?? null,
    async close() {
      running = false;
      await worker.close();
      await retention.close();
      await server?.close();
      await queue.close();
    },
  };
}
