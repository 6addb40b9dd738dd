import { parseEnv } from "@429chain/contracts";
// The URL check only: the launcher never talks to Redis, so it does not load ioredis.
import { RedisUrlSchema } from "@429chain/redis/url";
import { z } from "zod";

const port = z.coerce.number().int().min(1).max(65535);

const EnvSchema = z.object({
  /** Unset: an embedded Postgres (PGlite) in DATA_DIR, migrated on start. */
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// or postgresql:// URL" })
    .optional(),
  /** Unset: in-memory quota state and the gateway's in-process log sink. */
  REDIS_URL: RedisUrlSchema.optional(),
  /** Unset: generated on first run and kept in DATA_DIR/master.key. */
  MASTER_KEY: z.string().min(1).optional(),
  /** Embedded database, generated master key and the first admin password live here. */
  DATA_DIR: z.string().min(1).default("./data"),
  /** Imported into an empty database; unset: config/config.yaml, else the shipped example. */
  CONFIG_PATH: z.string().min(1).optional(),
  GATEWAY_PORT: port.default(3429),
  /**
   * Passed on to the gateway (its /metrics, /ready and control API listener); the admin is
   * pointed at the control API there. Unset: all on GATEWAY_PORT.
   */
  METRICS_PORT: port.optional(),
  ADMIN_PORT: port.default(3431),
  /** The embedded database's loopback port; unset: any free port. */
  EMBEDDED_DB_PORT: port.optional(),
  /** off: start without the admin console. */
  QUICKSTART_ADMIN: z.enum(["on", "off"]).default("on"),
  /** How long a process may take to stop after SIGTERM before it is killed. */
  STOP_TIMEOUT_MS: z.coerce.number().int().min(0).default(15_000),
});
export type Env = z.infer<typeof EnvSchema>;

/** The only reader of process.env. A bad value exits with the list of what is wrong. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  return parseEnv(EnvSchema, source);
}

/** What the child processes inherit; the launcher adds the variables it decides. */
export function inheritedEnv(source: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...source };
}
