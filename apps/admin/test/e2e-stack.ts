import { randomBytes } from "node:crypto";
import { ConfigSchema } from "@429chain/contracts";
import { createUser, type DbHandle, importConfig, masterKeyFromBytes } from "@429chain/db";
import { createRedisClient } from "@429chain/redis";
import {
  type FakeUpstream,
  type StackParts,
  startTestStack,
  type TestRedis,
} from "@429chain/testing";
import { startWorker } from "@429chain/worker/start-worker";
import type { Cluster, Redis } from "ioredis";
import { type AdminServer, ensureAdminBuild, startAdminServer } from "./admin-server";
import { GATEWAY_MAIN, type GatewayProcess, startGatewayProcess } from "./gateway-process";

export const ADMIN = { email: "admin@e2e.example.com", password: "admin-password-e2e-1" };
export const VIEWER = { email: "viewer@e2e.example.com", password: "viewer-password-e2e-1" };

const MASTER_BYTES = Buffer.alloc(32, 0x5e);
export const MASTER_KEY = masterKeyFromBytes(MASTER_BYTES);

/** Postgres, Redis, the fake upstream, a worker, a gateway replica (DB mode) and the admin. */
export interface E2eStack {
  db: DbHandle;
  /** The stack's database, for more processes on it. */
  env: { DATABASE_URL: string; MASTER_KEY: string };
  redis: TestRedis<Redis | Cluster>;
  upstream: FakeUpstream;
  gateway: GatewayProcess;
  admin: AdminServer;
  stop(): Promise<void>;
}

/** Providers and chains to store beside the seed's, as a config file writes them. */
export interface ExtraConfig {
  providers: unknown[];
  chains: unknown[];
}

export interface E2eStackOptions {
  /** Stored with the seed before the gateway boots, for steps that skip the browser's setup. */
  extraConfig?: (upstreamUrl: string) => ExtraConfig;
  /** Runs on the database once the config and users are stored, before the gateway starts. */
  prepare?: (db: DbHandle) => Promise<void>;
}

/**
 * The gateway needs a stored config to boot in DB mode: a "seed" provider and chain on the
 * fake upstream's /seed path. Everything else a test adds goes through the browser, or
 * comes in `extra` when another test file already drives those pages.
 */
function seedConfig(upstreamUrl: string, extra: ExtraConfig = { providers: [], chains: [] }) {
  return ConfigSchema.parse({
    version: 1,
    providers: [
      {
        id: "seed",
        name: "Seed",
        type: "generic-openai",
        apiKey: "sk-up-seed",
        baseUrl: `${upstreamUrl}/seed`,
      },
      ...extra.providers,
    ],
    chains: [
      { name: "seed", entries: [{ provider: "seed", model: "seed-model" }] },
      ...extra.chains,
    ],
    settings: { defaultChain: "seed" },
  });
}

/** The worker in the test's process, flushing every 10 ms. */
async function startE2eWorker(parts: StackParts): Promise<{ stop(): Promise<void> }> {
  const redis = createRedisClient(parts.redisEnv.REDIS_URL, { role: "worker" });
  try {
    const worker = await startWorker({
      db: parts.db.db,
      redis,
      keyPrefix: parts.redis.prefix,
      port: null,
      flushMs: 10,
    });
    return {
      async stop() {
        await worker.close();
        redis.disconnect();
      },
    };
  } catch (err) {
    redis.disconnect();
    throw err;
  }
}

export async function startE2eStack(
  label: string,
  options: E2eStackOptions = {},
): Promise<E2eStack> {
  // Build first: it is the slow part, and nothing else needs to be running meanwhile.
  await ensureAdminBuild();
  const env = (parts: StackParts) => ({
    DATABASE_URL: parts.databaseUrl,
    MASTER_KEY: MASTER_BYTES.toString("hex"),
  });
  const stack = await startTestStack({
    label,
    gatewayEntry: GATEWAY_MAIN,
    async prepare({ db, upstream }) {
      const config = seedConfig(upstream.url, options.extraConfig?.(upstream.url));
      await importConfig(db.db, config, { masterKey: MASTER_KEY, actor: "e2e" });
      await createUser(db.db, { ...ADMIN, role: "admin" }, "e2e");
      await createUser(db.db, { ...VIEWER, role: "viewer" }, "e2e");
      await options.prepare?.(db);
    },
    worker: startE2eWorker,
    // A long poll: config changes must reach the gateway by the pub/sub announcement.
    gateways: (parts) => [{ ...env(parts), CONFIG_POLL_MS: "60000" }],
  });
  try {
    const gateway = stack.gateways[0]!;
    const admin = await startAdminServer({
      ...env(stack),
      ...stack.redisEnv,
      GATEWAY_URL: gateway.url,
    });
    stack.defer(() => admin.stop());
    const { db, redis, upstream, stop } = stack;
    return { db, env: env(stack), redis, upstream, gateway, admin, stop };
  } catch (err) {
    await stack.stop();
    throw err;
  }
}

/** A gateway without Redis (its quota state in its memory) and an admin reading it. */
export interface ControlledPair {
  gateway: GatewayProcess;
  admin: AdminServer;
  stop(): Promise<void>;
}

/**
 * The quickstart's arrangement on the stack's database: a gateway without Redis whose control
 * API is on (CONTROL_TOKEN), and an admin without Redis pointed at that API.
 */
export async function startControlledPair(stack: E2eStack): Promise<ControlledPair> {
  const token = randomBytes(24).toString("base64url");
  const gateway = await startGatewayProcess({
    env: { ...stack.env, CONTROL_TOKEN: token, REQUEST_LOGS: "off", LOG_LEVEL: "warn" },
  });
  try {
    const admin = await startAdminServer({
      ...stack.env,
      GATEWAY_URL: gateway.url,
      GATEWAY_CONTROL_URL: gateway.url,
      GATEWAY_CONTROL_TOKEN: token,
    });
    return {
      gateway,
      admin,
      async stop() {
        await admin.stop();
        await gateway.stop();
      },
    };
  } catch (err) {
    await gateway.stop();
    throw err;
  }
}
