import { hostname } from "node:os";
import { parseEnv } from "@429chain/contracts";
import { RedisUrlSchema } from "@429chain/redis";
import { z } from "zod";

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).optional(),
  HOST: z.string().min(1).default("127.0.0.1"),
  /**
   * A second listener (same HOST) for /metrics, /ready and /health, so a load balancer that
   * forwards the API port never exposes them. Unset: they are served on PORT.
   */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** A client must send its request headers within this long (slow-header clients). */
  HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  /** … and its whole request, body included; responses and streams are not bounded by it. */
  REQUEST_BODY_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** An idle keep-alive connection is closed after this long (above load balancers' 60 s). */
  KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).default(65_000),
  /** When set, /metrics answers only `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /**
   * Turns on the control API (/control/*: live entry states, the quota ledger, clearing a
   * cooldown) for `Authorization: Bearer <token>`; the admin reads a gateway without Redis
   * through it. Served on METRICS_PORT when set, else on PORT. Unset: no control API.
   */
  CONTROL_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /** Unset: ./config/config.yaml, or the shipped example when that does not exist yet. */
  CONFIG_PATH: z.string().min(1).optional(),
  /** One server, a cluster (redis+cluster://) or Sentinel (redis+sentinel://). */
  REDIS_URL: RedisUrlSchema.optional(),
  REDIS_KEY_PREFIX: z.string().min(1).default("429chain:"),
  /**
   * A quota-state command slower than this counts as a Redis failure: the replica serves from
   * local state and retries Redis shortly. Raise it for a Redis across a slow link.
   */
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(300),
  /** DB mode: providers, chains, keys and settings come from Postgres instead of CONFIG_PATH. */
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" })
    .optional(),
  /** Decrypts provider keys in DB mode (32 bytes, base64 or hex). */
  MASTER_KEY: z.string().min(1).optional(),
  /** DB mode: how often the config version is checked, besides pub/sub. */
  CONFIG_POLL_MS: z.coerce.number().int().min(100).default(10_000),
  /** "off" records no request logs at all (no queue, no database writes). */
  REQUEST_LOGS: z.enum(["on", "off"]).default("on"),
  /** Without Redis (no worker) the gateway expires request logs itself: raw rows after this. */
  LOG_RETENTION_DAYS: z.coerce.number().min(1).default(30),
  /** … and minute rollups after this; hour and day rollups stay. */
  MINUTE_ROLLUP_RETENTION_DAYS: z.coerce.number().min(1).default(7),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).optional(),
  /** Identifies this replica in logs, /health, /ready and request logs. */
  REPLICA_ID: z.string().min(1).default(hostname()),
  /**
   * Worker processes sharing the port on this host: a number, or "auto" (one per CPU). More
   * than one needs REDIS_URL, the only state workers share; METRICS_PORT then serves the
   * workers' metrics summed, and /ready, from the primary process.
   */
  GATEWAY_WORKERS: z.union([z.literal("auto"), z.coerce.number().int().min(1).max(256)]).default(1),
  /** How long graceful shutdown waits for in-flight requests and streams. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
});
export type Env = z.infer<typeof EnvSchema>;

/** The only reader of process.env. A bad value exits with the list of what is wrong. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return parseEnv(EnvSchema, source);
}
