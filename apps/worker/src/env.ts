import { parseEnv } from "@429chain/contracts";
import { RedisUrlSchema } from "@429chain/redis";
import { z } from "zod";

const EnvSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" }),
  /** One server, a cluster (redis+cluster://) or Sentinel (redis+sentinel://). */
  REDIS_URL: RedisUrlSchema,
  /**
   * Also the BullMQ prefix (trailing ":" dropped, BullMQ adds its own; a hash tag `{…}` on a
   * cluster).
   */
  REDIS_KEY_PREFIX: z.string().min(1).default("429chain:"),
  WORKER_PORT: z.coerce.number().int().min(0).max(65535).default(3430),
  /** Queue jobs in hand at once; each is one gateway batch of up to 200 logs. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).default(10),
  /** Logs per database transaction: jobs are merged until they carry this many. */
  BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(1_000),
  /** How long a partial transaction waits for more jobs: fewer, larger writes at low rates. */
  BATCH_FLUSH_MS: z.coerce.number().int().min(1).default(200),
  /**
   * How long a job stays with a worker that stopped answering (killed, frozen) before another
   * worker takes it back: BullMQ's lock duration and stalled-job check interval.
   */
  WORKER_JOB_LOCK_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** Raw request logs older than this are deleted; rollups stay. */
  LOG_RETENTION_DAYS: z.coerce.number().min(1).default(30),
  /** Minute rollups older than this are deleted; hour and day rollups stay. */
  MINUTE_ROLLUP_RETENTION_DAYS: z.coerce.number().min(1).default(7),
  RETENTION_INTERVAL_MS: z.coerce.number().int().min(1_000).default(3_600_000),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
});
export type Env = z.infer<typeof EnvSchema>;

/** The only reader of process.env. A bad value exits with the list of what is wrong. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return parseEnv(EnvSchema, source);
}
