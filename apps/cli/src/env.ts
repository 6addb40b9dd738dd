import { type MasterKey, parseMasterKey } from "@429chain/db";
import { RedisUrlSchema } from "@429chain/redis";
import { z } from "zod";

const EnvSchema = z
  .object({
    /** A Postgres server; wins over DATA_DIR when both are set, as in the gateway. */
    DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// or postgresql:// URL" })
      .optional(),
    /** The embedded PGlite database's directory. */
    DATA_DIR: z.string().min(1).optional(),
    // Kept as text: parseMasterKey checks them only for the commands that need them, and its
    // messages never echo the value (zod's could).
    MASTER_KEY: z.string().optional(),
    NEW_MASTER_KEY: z.string().optional(),
    /** One server, a cluster (redis+cluster://) or Sentinel (redis+sentinel://). */
    REDIS_URL: RedisUrlSchema.optional(),
    REDIS_KEY_PREFIX: z.string().min(1).default("429chain:"),
  })
  .refine((env) => env.DATABASE_URL !== undefined || env.DATA_DIR !== undefined, {
    path: ["DATABASE_URL"],
    message:
      "not set: set DATABASE_URL (a Postgres server) or DATA_DIR (a directory for the embedded database)",
  });

type DatabaseTarget = { url: string } | { dataDir: string };

export interface CliEnv {
  database: DatabaseTarget;
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  /** Parses MASTER_KEY; throws MasterKeyError naming the variable and how to make one. */
  masterKey(): MasterKey;
  newMasterKey(): MasterKey;
}

class EnvError extends Error {
  override readonly name = "EnvError";
}

/** The only reader of process.env. A bad value throws EnvError listing what is wrong. */
export function readEnv(source: NodeJS.ProcessEnv = process.env): CliEnv {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new EnvError(`invalid environment:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  return {
    database: env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: env.DATA_DIR! },
    redisUrl: env.REDIS_URL,
    redisKeyPrefix: env.REDIS_KEY_PREFIX,
    masterKey: () => parseMasterKey(env.MASTER_KEY, "MASTER_KEY"),
    newMasterKey: () => parseMasterKey(env.NEW_MASTER_KEY, "NEW_MASTER_KEY"),
  };
}

/** DEBUG=1 adds stack traces to errors; read apart from readEnv so a bad env can show one too. */
export function isDebug(source: NodeJS.ProcessEnv = process.env): boolean {
  return source.DEBUG === "1" || source.DEBUG === "true";
}
