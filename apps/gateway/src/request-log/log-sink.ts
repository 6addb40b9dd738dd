import type { DbHandle } from "@429chain/db";
import { applyRetention, processRequestLogBatch, type RetentionPolicy } from "@429chain/db";
import {
  bullPrefix,
  createBatchedProducer,
  createInProcessSink,
  REQUEST_LOGS_QUEUE,
  type RequestLogSink,
} from "@429chain/queue";
import { createRedisClient, isCluster } from "@429chain/redis";
import type { FastifyBaseLogger } from "fastify";
import type { GatewayMetrics } from "../metrics";

/** Request logs go nowhere: turned off, or file mode with neither Redis nor a database. */
const NO_SINK: RequestLogSink = {
  enqueue() {},
  async flush() {},
  async close() {},
  stats: () => ({ buffered: 0, dropped: 0, sent: 0 }),
};

/** Without Redis there is no worker: the gateway that writes the logs also expires them. */
const RETENTION_EVERY_MS = 3_600_000;
const RETENTION_FIRST_MS = 60_000;

export interface LogSinkChoice {
  sink: RequestLogSink;
  close(): Promise<void>;
}

/**
 * With Redis: a batched BullMQ producer (apps/worker drains it into Postgres). DB mode without
 * Redis: the worker's own processor, called in process. Neither, or REQUEST_LOGS=off: none.
 */
export async function createLogSink(opts: {
  enabled: boolean;
  redisUrl: string | undefined;
  keyPrefix: string;
  db: DbHandle | undefined;
  /** REPLICA_ID: recorded with each log the database refuses. */
  replica: string;
  retention: RetentionPolicy;
  metrics: GatewayMetrics;
  log: FastifyBaseLogger;
}): Promise<LogSinkChoice> {
  const hooks = {
    onDrop: (n: number) => opts.metrics.requestLogsDropped.inc(n),
    onError: (err: unknown) =>
      opts.log.warn(
        { err: err instanceof Error ? err.message : String(err) },
        "request log not sent yet",
      ),
  };
  if (!opts.enabled) return { sink: NO_SINK, close: async () => {} };
  if (opts.redisUrl) {
    // Its own connection: BullMQ commands must wait for a reconnect, the gateway's must not.
    // Loaded only here: BullMQ costs a quarter second and 25 MB at start, for nothing in the
    // embedded quickstart, which has no Redis.
    const { Queue } = await import("bullmq");
    const connection = createRedisClient(opts.redisUrl, { role: "worker", name: "gateway-logs" });
    const prefix = bullPrefix(opts.keyPrefix, { cluster: isCluster(connection) });
    const queue = new Queue(REQUEST_LOGS_QUEUE, { connection, prefix });
    queue.on("error", (err) => hooks.onError(err));
    const sink = createBatchedProducer({ queue, ...hooks });
    return {
      sink,
      async close() {
        await sink.close();
        await queue.close();
        connection.disconnect();
      },
    };
  }
  const db = opts.db;
  if (db) {
    const source = `gateway:${opts.replica}`;
    const sink = createInProcessSink({
      // A log the database refuses is parked with its reason and the rest stored, so it is
      // never retried forever ahead of every later log; only an outage rejects (and retries).
      process: async (jobs) => {
        const { deadLettered } = await processRequestLogBatch(db.db, jobs, { source });
        if (deadLettered === 0) return;
        opts.metrics.requestLogsDeadLettered.inc(deadLettered);
        opts.log.warn(
          { deadLettered, logs: jobs.length },
          "request logs refused by the database, parked in request_log_dead_letters",
        );
      },
      ...hooks,
    });
    const expire = () => {
      applyRetention(db.db, opts.retention).catch((err: unknown) =>
        opts.log.warn(
          { err: err instanceof Error ? err.message : String(err) },
          "retention failed",
        ),
      );
    };
    // A first pass soon after start, for embedded stacks that never run an hour.
    const first = setTimeout(expire, RETENTION_FIRST_MS);
    const retention = setInterval(expire, RETENTION_EVERY_MS);
    first.unref();
    retention.unref();
    return {
      sink,
      async close() {
        clearTimeout(first);
        clearInterval(retention);
        await sink.close();
      },
    };
  }
  return { sink: NO_SINK, close: async () => {} };
}
