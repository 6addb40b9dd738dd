import { createDb } from "@429chain/db";
import { createRedisClient } from "@429chain/redis";
import pino from "pino";
import { readEnv } from "./env";
import { startWorker } from "./start-worker";

const env = readEnv();
const logger = pino({ level: env.LOG_LEVEL, name: "worker" });
const handle = await createDb({ url: env.DATABASE_URL });
const redis = createRedisClient(env.REDIS_URL, {
  role: "worker",
  name: "429chain-worker",
  onError: (err) => logger.warn({ err: err.message }, "redis connection error"),
});
const running = await startWorker({
  db: handle.db,
  redis,
  keyPrefix: env.REDIS_KEY_PREFIX,
  port: env.WORKER_PORT,
  concurrency: env.WORKER_CONCURRENCY,
  batchSize: env.BATCH_SIZE,
  flushMs: env.BATCH_FLUSH_MS,
  jobLockMs: env.WORKER_JOB_LOCK_MS,
  retention: {
    logRetentionDays: env.LOG_RETENTION_DAYS,
    minuteRollupDays: env.MINUTE_ROLLUP_RETENTION_DAYS,
    everyMs: env.RETENTION_INTERVAL_MS,
  },
  logger,
});
logger.info({ port: running.port }, "worker started");

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down: finishing the batch in hand");
  try {
    await running.close();
    await redis.quit();
    await handle.close();
    logger.info("worker stopped");
    process.exit(0);
  } catch (err) {
    logger.error({ err }, "shutdown failed");
    process.exit(1);
  }
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
