import { randomBytes } from "node:crypto";
import { ConfigSchema } from "@429chain/contracts";
import {
  createDb,
  createUser,
  type DbHandle,
  importConfig,
  masterKeyFromBytes,
  migrate,
} from "@429chain/db";
import { createTestDatabase, type TestDatabase } from "@429chain/db/testing";
import { createRedisClient, type RedisClient } from "@429chain/redis";
import {
  createTestRedis,
  type FakeUpstream,
  startFakeUpstream,
  TEST_REDIS_URL,
  type TestRedis,
} from "@429chain/testing";
import { type RunningWorker, startWorker } from "@429chain/worker/start-worker";
import { type AdminServer, ensureAdminBuild, startAdminServer } from "./admin-server";
import { type GatewayProcess, startGatewayProcess } from "./gateway-process";

export const ADMIN = { email: "admin@e2e.example.com", password: "admin-password-e2e-1" };
export const VIEWER = { email: "viewer@e2e.example.com", password: "viewer-password-e2e-1" };

const MASTER_BYTES = Buffer.alloc(32, 0x5e);
export const MASTER_KEY = masterKeyFromBytes(MASTER_BYTES);

/** Postgres, Redis, the fake upstream, a worker, a gateway replica (DB mode) and the admin. */
export interface E2eStack {
  db: DbHandle;
  /** The stack's database, for more processes on it. */
  env: { DATABASE_URL: string; MASTER_KEY: string };
  redis: TestRedis;
  upstream: FakeUpstream;
  gateway: GatewayProcess;
  admin: AdminServer;
  stop(): Promise<void>;
}

/**
 * The gateway needs a stored config to boot in DB mode: a "seed" provider and chain on the
 * fake upstream's /seed path. Everything the test adds goes through the browser.
 */
function seedConfig(upstreamUrl: string) {
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
    ],
    chains: [{ name: "seed", entries: [{ provider: "seed", model: "seed-model" }] }],
    settings: { defaultChain: "seed" },
  });
}

export async function startE2eStack(label: string): Promise<E2eStack> {
  const stops: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => {});
  };
  try {
    // Build first: it is the slow part, and nothing else needs to be running meanwhile.
    await ensureAdminBuild();
    const database: TestDatabase = await createTestDatabase(label);
    stops.push(() => database.drop());
    const db = await createDb({ url: database.url });
    stops.push(() => db.close());
    await migrate(db);
    const redis = await createTestRedis(label);
    stops.push(() => redis.cleanup());
    const upstream = await startFakeUpstream();
    stops.push(() => upstream.close());
    await importConfig(db.db, seedConfig(upstream.url), { masterKey: MASTER_KEY, actor: "e2e" });
    await createUser(db.db, { ...ADMIN, role: "admin" }, "e2e");
    await createUser(db.db, { ...VIEWER, role: "viewer" }, "e2e");

    const workerRedis: RedisClient = createRedisClient(TEST_REDIS_URL, { role: "worker" });
    stops.push(async () => workerRedis.disconnect());
    const worker: RunningWorker = await startWorker({
      db: db.db,
      redis: workerRedis,
      keyPrefix: redis.prefix,
      port: null,
      flushMs: 10,
    });
    stops.push(() => worker.close());

    const shared = {
      DATABASE_URL: database.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: redis.prefix,
      MASTER_KEY: MASTER_BYTES.toString("hex"),
    };
    const gateway = await startGatewayProcess({
      // A long poll: config changes must reach the gateway by the pub/sub announcement.
      env: { ...shared, CONFIG_POLL_MS: "60000", LOG_LEVEL: "warn" },
    });
    stops.push(() => gateway.stop());
    const admin = await startAdminServer({ ...shared, GATEWAY_URL: gateway.url });
    stops.push(() => admin.stop());
    const env = { DATABASE_URL: database.url, MASTER_KEY: shared.MASTER_KEY };
    return { db, env, redis, upstream, gateway, admin, stop };
  } catch (err) {
    await stop();
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
