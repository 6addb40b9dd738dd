import { existsSync } from "node:fs";
import {
  createMemoryQuotaStore,
  createRedisClient,
  createRedisQuotaStore,
  createResilientQuotaStore,
  type QuotaStore,
} from "@429chain/quota";
import type { FastifyInstance } from "fastify";
import pino from "pino";
import { buildApp } from "./app";
import { type ConfigSource, createFileConfigSource } from "./config/file-config-source";
import { countRoundTrips } from "./counting-quota-store";
import type { Env } from "./env";
import { GatewayMetrics } from "./metrics";
import type { Lifecycle } from "./routes/health";
import { UpstreamClient } from "./upstream/http-client";
import { PendingSettles } from "./waterfall/pending-settles";

export const VERSION = "2.0.0";
const DEFAULT_CONFIG = "./config/config.yaml";
const EXAMPLE_CONFIG = "./config/config.example.yaml";

export interface Gateway {
  app: FastifyInstance;
  config: ConfigSource;
  quota: QuotaStore;
  lifecycle: Lifecycle;
  /** Closes what createGateway opened; call after app.close(). */
  closeResources(): Promise<void>;
}

/** Builds every client from env and wires the app. Shared by main.ts and the tests. */
export async function createGateway(env: Env, logger = createLogger(env)): Promise<Gateway> {
  const metrics = new GatewayMetrics();
  const config = await createFileConfigSource({
    path: resolveConfigPath(env.CONFIG_PATH, logger),
    log: logger,
    onReload: (result) => metrics.configReloads.inc({ result }),
  });
  if (!env.LOG_LEVEL) logger.level = config.current().settings.logLevel;

  const redis = env.REDIS_URL
    ? createRedisClient(env.REDIS_URL, { role: "gateway", name: `gateway-${env.REPLICA_ID}` })
    : undefined;
  const store: QuotaStore = redis
    ? createResilientQuotaStore({
        primary: createRedisQuotaStore({ redis, prefix: env.REDIS_KEY_PREFIX }),
        fallback: createMemoryQuotaStore(),
        onError: (err) => {
          metrics.stateStoreErrors.inc();
          logger.warn(
            { err: err instanceof Error ? err.message : String(err) },
            "quota store error; serving from local state",
          );
        },
      })
    : createMemoryQuotaStore();
  const quota = countRoundTrips(store, metrics.stateStoreRoundTrips);
  metrics.registerLiveGauges({
    degraded: () => quota.health() === "degraded",
    cooldownsActive: async () => {
      const states = await quota.entryStates(config.current().entries.map((e) => e.policy));
      return states.filter((s) => s.status !== "available" && s.status !== "tracking").length;
    },
  });

  const client = new UpstreamClient();
  const settles = new PendingSettles();
  const lifecycle: Lifecycle = { shuttingDown: false };
  const app = await buildApp({
    config,
    settles,
    quota,
    client,
    metrics,
    lifecycle,
    logger,
    version: VERSION,
    replicaId: env.REPLICA_ID,
  });
  return {
    app,
    config,
    quota,
    lifecycle,
    async closeResources() {
      config.close();
      await client.close();
      await settles.drain();
      await quota.close();
      redis?.disconnect();
    },
  };
}

export function createLogger(env: Env): pino.Logger {
  return pino({
    level: env.LOG_LEVEL ?? "info",
    base: { replica: env.REPLICA_ID },
    redact: { paths: ["req.headers.authorization", "*.apiKey", "*.apiKeys"], censor: "[redacted]" },
  });
}

/** A fresh clone has no config.yaml yet: serve the example so the gateway starts at once. */
function resolveConfigPath(given: string | undefined, logger: pino.Logger): string {
  if (given) return given;
  if (existsSync(DEFAULT_CONFIG) || !existsSync(EXAMPLE_CONFIG)) return DEFAULT_CONFIG;
  logger.warn(
    `${DEFAULT_CONFIG} not found; serving ${EXAMPLE_CONFIG}. Copy it and add your provider keys.`,
  );
  return EXAMPLE_CONFIG;
}
