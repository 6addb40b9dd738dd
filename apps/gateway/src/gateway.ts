import { existsSync } from "node:fs";
import { configChangedChannel } from "@429chain/contracts";
import { createDb, type DbHandle, parseMasterKey, touchClientKeys } from "@429chain/db";
import type { RequestLogSink } from "@429chain/queue";
import {
  type AffinityStore,
  createFailClosedSpendBudgets,
  createMemoryAffinityStore,
  createMemoryKeyLimiter,
  createMemoryQueueStore,
  createMemoryQuotaStore,
  createMemorySpendBudgets,
  createRedisAffinityStore,
  createRedisKeyLimiter,
  createRedisQueueStore,
  createRedisQuotaStore,
  createRedisSpendBudgets,
  createResilientAffinityStore,
  createResilientKeyLimiter,
  createResilientQuotaStore,
  type KeyLimiter,
  type QuotaStore,
  type SpendBudgets,
} from "@429chain/quota";
import { awaitReady, createRedisClient, type RedisClient } from "@429chain/redis";
import type { FastifyInstance } from "fastify";
import pino from "pino";
import manifest from "../package.json" with { type: "json" };
import { type AppDeps, buildApp, buildOpsApp } from "./app";
import type { ConfigSource } from "./config/config-source";
import { createDbConfigSource } from "./config/db-config-source";
import { createFileConfigSource } from "./config/file-config-source";
import { createKeyUsageRecorder, type KeyUsageRecorder, NO_KEY_USAGE } from "./config/key-usage";
import { entriesOfReplacedProviders } from "./config/replaced-providers";
import type { ConfigSnapshot } from "./config/snapshot";
import { countRoundTrips } from "./counting-quota-store";
import type { Env } from "./env";
import { GatewayMetrics } from "./metrics";
import { createLogSink } from "./request-log/log-sink";
import type { Lifecycle } from "./routes/health";
import { UpstreamClient } from "./upstream/http-client";
import { PendingSettles } from "./waterfall/pending-settles";
import { queueObserver, registerQueueGauge } from "./waterfall/queue-metrics";
import { QueueMode } from "./waterfall/queue-mode";

/** The gateway's version, as its package.json says (bundled into the build). */
export const VERSION = manifest.version;
const DEFAULT_CONFIG = "./config/config.yaml";
const EXAMPLE_CONFIG = "./config/config.example.yaml";
/** How often DB mode writes client keys' last-used times. */
const KEY_USAGE_FLUSH_MS = 5_000;
/** How long a starting replica waits for Redis before serving from local state. */
const REDIS_STARTUP_WAIT_MS = 5_000;

export interface Gateway {
  app: FastifyInstance;
  metrics: GatewayMetrics;
  /** The METRICS_PORT listener's app (/metrics, /ready, /health), when configured. */
  ops: FastifyInstance | undefined;
  config: ConfigSource;
  quota: QuotaStore;
  /** queueMode's waiters on this replica. */
  queue: QueueMode;
  lifecycle: Lifecycle;
  /** Closes what createGateway opened; call after app.close(). */
  closeResources(): Promise<void>;
}

/** Builds every client from env and wires the app. Shared by main.ts and the tests. */
/** Dependencies a test may replace (an upstream client that fails, a log sink it reads). */
export interface GatewayOverrides {
  client?: UpstreamClient;
  logSink?: RequestLogSink;
  /** Serve /metrics and /ready on the API port; default: when METRICS_PORT is unset. */
  opsRoutes?: boolean;
}

export async function createGateway(
  env: Env,
  logger = createLogger(env),
  overrides: GatewayOverrides = {},
): Promise<Gateway> {
  const metrics = new GatewayMetrics();
  const onReload = (result: "ok" | "rejected") => metrics.configReloads.inc({ result });
  // Bound once the quota store exists (below); config sources are built first.
  let onSwap: (previous: ConfigSnapshot, next: ConfigSnapshot) => void = () => {};
  const swapped = (previous: ConfigSnapshot, next: ConfigSnapshot) => onSwap(previous, next);
  const redis = env.REDIS_URL
    ? createRedisClient(env.REDIS_URL, {
        role: "gateway",
        name: `gateway-${env.REPLICA_ID}`,
        overrides: { commandTimeout: env.REDIS_COMMAND_TIMEOUT_MS },
      })
    : undefined;
  const opened: Array<() => Promise<void> | void> = [() => redis?.disconnect()];
  // Connecting runs alongside the config load; awaited before the gateway takes traffic.
  const redisReady = redis ? awaitReady(redis, REDIS_STARTUP_WAIT_MS) : Promise.resolve(true);
  let config: ConfigSource;
  let keyUsage = NO_KEY_USAGE;
  let dbHandle: DbHandle | undefined;
  try {
    if (env.DATABASE_URL) {
      const db = await openDbConfig(
        env,
        env.DATABASE_URL,
        logger,
        { onReload, onSwap: swapped },
        opened,
      );
      config = db.config;
      keyUsage = db.keyUsage;
      dbHandle = db.handle;
    } else {
      config = await createFileConfigSource({
        path: resolveConfigPath(env.CONFIG_PATH, logger),
        log: logger,
        onReload,
        onSwap: swapped,
      });
    }
  } catch (err) {
    for (const close of opened.reverse()) await close();
    throw err;
  }
  if (!env.LOG_LEVEL) logger.level = config.current().settings.logLevel;

  /** Every shared store's error: counted, and logged with what the replica does instead. */
  const storeError = (instead: string) => (err: unknown) => {
    metrics.stateStoreErrors.inc();
    logger.warn({ err: err instanceof Error ? err.message : String(err) }, instead);
  };
  const redisHealth = () => (redis?.status === "ready" ? "ok" : "degraded");

  const store: QuotaStore = redis
    ? createResilientQuotaStore({
        primary: createRedisQuotaStore({ redis, prefix: env.REDIS_KEY_PREFIX }),
        fallback: createMemoryQuotaStore(),
        onError: storeError("quota store error; serving from local state"),
      })
    : createMemoryQuotaStore();
  const quota = countRoundTrips(store, metrics.stateStoreRoundTrips);
  // A provider given a new key or base URL starts clean on every replica (each replica's
  // reload does it; the shared store makes it idempotent).
  onSwap = (previous, next) => {
    for (const entry of entriesOfReplacedProviders(previous, next)) {
      quota.clearCooldown(entry.policy).catch((err: unknown) => {
        logger.warn({ err, entry: entry.label }, "could not clear a replaced provider's state");
      });
    }
  };
  const keyLimiter: KeyLimiter = redis
    ? createResilientKeyLimiter({
        primary: createRedisKeyLimiter({ redis, prefix: env.REDIS_KEY_PREFIX }),
        fallback: createMemoryKeyLimiter(),
        primaryHealth: redisHealth,
        onError: () => metrics.stateStoreErrors.inc(),
      })
    : createMemoryKeyLimiter();
  const budgets: SpendBudgets = redis
    ? createFailClosedSpendBudgets({
        primary: createRedisSpendBudgets({ redis, prefix: env.REDIS_KEY_PREFIX }),
        health: redisHealth,
        onError: storeError(
          "spend budget store error; paid entries of budgeted chains are skipped",
        ),
      })
    : createMemorySpendBudgets();
  const affinity: AffinityStore = redis
    ? createResilientAffinityStore({
        primary: createRedisAffinityStore({ redis, prefix: env.REDIS_KEY_PREFIX }),
        fallback: createMemoryAffinityStore(),
        primaryHealth: redisHealth,
        onError: storeError("affinity store error; using this replica's own memory"),
      })
    : createMemoryAffinityStore();
  const queue = new QueueMode(
    redis && env.REDIS_URL
      ? createRedisQueueStore({
          redis,
          subscriber: queueSubscriber(env.REDIS_URL, env.REPLICA_ID, opened),
          prefix: env.REDIS_KEY_PREFIX,
          onError: (err) => logger.warn({ err }, "could not subscribe to queue wake-ups"),
        })
      : createMemoryQueueStore(),
    { replicaId: env.REPLICA_ID, log: logger, observer: queueObserver(metrics, config) },
  );
  registerQueueGauge(metrics, config, queue);
  metrics.registerLiveGauges({
    degraded: () => quota.health() === "degraded",
    cooldownsActive: async () => {
      const states = await quota.entryStates(config.current().entries.map((e) => e.policy));
      return states.filter((s) => s.status !== "available" && s.status !== "tracking").length;
    },
  });

  const client = overrides.client ?? new UpstreamClient();
  const settles = new PendingSettles();
  const lifecycle: Lifecycle = { shuttingDown: false };
  const logs = await createLogSink({
    enabled: env.REQUEST_LOGS === "on",
    redisUrl: env.REDIS_URL,
    keyPrefix: env.REDIS_KEY_PREFIX,
    db: dbHandle,
    replica: env.REPLICA_ID,
    retention: {
      logRetentionDays: env.LOG_RETENTION_DAYS,
      minuteRollupDays: env.MINUTE_ROLLUP_RETENTION_DAYS,
    },
    metrics,
    log: logger,
  });
  const deps: AppDeps = {
    config,
    logSink: overrides.logSink ?? logs.sink,
    keyUsage,
    keyLimiter,
    affinity,
    budgets,
    settles,
    quota,
    queue,
    client,
    metrics,
    lifecycle,
    logger,
    version: VERSION,
    replicaId: env.REPLICA_ID,
    exposed: !isLoopback(env.HOST),
    opsRoutes: overrides.opsRoutes ?? env.METRICS_PORT === undefined,
    metricsToken: env.METRICS_TOKEN,
    control: env.CONTROL_TOKEN
      ? { token: env.CONTROL_TOKEN, on: env.METRICS_PORT === undefined ? "api" : "ops" }
      : undefined,
    timeouts: {
      headersMs: env.HEADERS_TIMEOUT_MS,
      requestMs: env.REQUEST_BODY_TIMEOUT_MS,
      keepAliveMs: env.KEEP_ALIVE_TIMEOUT_MS,
    },
  };
  if (!(await redisReady)) {
    logger.warn(
      { redisStatus: redis?.status, waitedMs: REDIS_STARTUP_WAIT_MS },
      "Redis not reachable at startup; serving from local state until it is",
    );
  }
  const app = await buildApp(deps);
  const ops = env.METRICS_PORT === undefined ? undefined : await buildOpsApp(deps);
  return {
    app,
    metrics,
    ops,
    config,
    quota,
    queue,
    lifecycle,
    async closeResources() {
      await config.close();
      await keyUsage.close();
      await client.close();
      await settles.drain();
      await logs.close();
      await queue.close();
      await quota.close();
      for (const close of opened.reverse()) await close();
    },
  };
}

/** The queue's own pub/sub connection (a subscribed connection runs no other command). */
function queueSubscriber(
  url: string,
  replicaId: string,
  opened: Array<() => Promise<void> | void>,
): RedisClient {
  const subscriber = createRedisClient(url, {
    role: "worker",
    name: `gateway-queue-${replicaId}`,
    // Connects on its SUBSCRIBE, once the command connection is ready.
    overrides: { lazyConnect: true },
  });
  opened.push(() => subscriber.disconnect());
  return subscriber;
}

/** DB mode: Postgres pool (bounded timeouts), pub/sub subscriber, snapshot source. */
async function openDbConfig(
  env: Env,
  url: string,
  logger: pino.Logger,
  hooks: {
    onReload: (result: "ok" | "rejected") => void;
    onSwap: (previous: ConfigSnapshot, next: ConfigSnapshot) => void;
  },
  opened: Array<() => Promise<void> | void>,
): Promise<{ config: ConfigSource; keyUsage: KeyUsageRecorder; handle: DbHandle }> {
  const masterKey = parseMasterKey(env.MASTER_KEY);
  const db = await createDb({
    url,
    pool: { max: 4, connectionTimeoutMillis: 5_000, statement_timeout: 10_000 },
  });
  opened.push(() => db.close());
  // An idle client's connection dying must not crash the process; the poll reports it.
  if (db.driver === "pg")
    db.pool.on("error", (err) => logger.warn({ err: err.message }, "postgres"));
  const subscriber = env.REDIS_URL
    ? createRedisClient(env.REDIS_URL, { role: "worker", name: `gateway-sub-${env.REPLICA_ID}` })
    : undefined;
  if (subscriber) opened.push(() => subscriber.disconnect());
  const config = await createDbConfigSource({
    db,
    masterKey,
    log: logger,
    ...(subscriber ? { subscriber } : {}),
    channel: configChangedChannel(env.REDIS_KEY_PREFIX),
    pollMs: env.CONFIG_POLL_MS,
    ...hooks,
  });
  const keyUsage = createKeyUsageRecorder({
    write: (uses) => touchClientKeys(db.db, uses),
    intervalMs: KEY_USAGE_FLUSH_MS,
    log: logger,
  });
  return { config, keyUsage, handle: db };
}

export function createLogger(env: Env): pino.Logger {
  return pino({
    level: env.LOG_LEVEL ?? "info",
    base: { replica: env.REPLICA_ID },
    redact: { paths: ["req.headers.authorization", "*.apiKey", "*.apiKeys"], censor: "[redacted]" },
  });
}

/** Whether HOST only accepts connections from this machine. */
function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
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
