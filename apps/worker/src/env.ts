import { parseEnv } from "@429chain/contracts";
import { z } from "zod";

const EnvSchema = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" }),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: "must be a redis:// or rediss:// URL" }),
  /** Also the BullMQ prefix (trailing ":" dropped, BullMQ adds its own). */
  REDIS_KEY_PREFIX: z.string().min(1).default("429chain:"),
  WORKER_PORT: z.coerce.number().int().min(0).max(65535).default(3430),
  /** Jobs in hand at once; above BATCH_SIZE so the next batch fills while one is written. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).default(400),
  BATCH_SIZE: z.coerce.number().int().min(1).max(5_000).default(200),
  BATCH_FLUSH_MS: z.coerce.number().int().min(1).default(20),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
});
export type Env = z.infer<typeof EnvSchema>;

/** The only reader of process.env. A bad value exits with the list of what is wrong. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return parseEnv(EnvSchema, source);
}
