import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRedisClient } from "@429chain/redis";
import {
  deleteKeys,
  readProcessName,
  startAppProcess,
  TEST_REDIS_URL,
  uniquePrefix,
} from "@429chain/testing";
import { buildBenchConfig } from "./bench-config";
import { openBenchDb } from "./bench-db";
import { GATEWAY_BUILD } from "./paths";
import { serverPid } from "./proc-rss";

export interface GatewayChild {
  url: string;
  /** The node process that runs the gateway (not a wrapper). */
  pid: number;
  redisPrefix: string;
  /** Stops the gateway, deletes its Redis keys and its temp config. */
  stop(): Promise<void>;
}

/** The leaf process if it is the gateway itself, else the process we spawned. */
function gatewayPid(spawned: number): number {
  const leaf = serverPid(spawned);
  return /main\.(?:ts|mjs)/.test(readProcessName(leaf)) ? leaf : spawned;
}

/** One gateway replica with Redis state, its config in a temp dir, a key prefix of its own. */
export async function startGatewayChild(
  scenario: string,
  upstreamUrl: string,
  mode: "file" | "db" = "file",
  /**
   * Extra env (e.g. REQUEST_LOGS), a Redis prefix shared with other processes, and a config
   * of the scenario's own instead of the shared bench config.
   */
  options: {
    env?: Record<string, string>;
    redisPrefix?: string;
    config?: unknown;
    /** Another Redis than TEST_REDIS_URL: a server of the scenario's own, a cluster. */
    redisUrl?: string;
  } = {},
): Promise<GatewayChild> {
  const dir = await mkdtemp(join(tmpdir(), "429chain-bench-"));
  const configPath = join(dir, "config.json");
  const config = options.config ?? buildBenchConfig(upstreamUrl);
  await writeFile(configPath, JSON.stringify(config, null, 2));
  const redisPrefix = options.redisPrefix ?? uniquePrefix(`bench-${scenario}`);
  const db = mode === "db" ? await openBenchDb(config) : undefined;
  const source: Record<string, string> = db
    ? { DATABASE_URL: db.url, MASTER_KEY: db.masterKeyText }
    : { CONFIG_PATH: configPath };
  const redisUrl = options.redisUrl ?? TEST_REDIS_URL;
  const cleanup = async () => {
    await db?.close();
    const redis = createRedisClient(redisUrl, { role: "api", overrides: { lazyConnect: true } });
    try {
      await redis.connect();
      await deleteKeys(redis, redisPrefix);
    } finally {
      redis.disconnect();
      await rm(dir, { recursive: true, force: true });
    }
  };
  let proc: Awaited<ReturnType<typeof startAppProcess>>;
  try {
    proc = await startAppProcess({
      entry: GATEWAY_BUILD,
      env: {
        ...source,
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: redisPrefix,
        LOG_LEVEL: "warn",
        ...options.env,
      },
    });
  } catch (err) {
    await cleanup();
    throw err;
  }
  return {
    url: proc.url,
    pid: gatewayPid(proc.pid),
    redisPrefix,
    async stop() {
      await proc.stop();
      await cleanup();
    },
  };
}
