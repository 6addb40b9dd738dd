import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type AdminServer, ensureAdminBuild, startAdminServer } from "@429chain/admin/testing";
import type { ConfigInput } from "@429chain/contracts";
import { createDb, type DbHandle, type MasterKey, parseMasterKey } from "@429chain/db";
import { createTestDatabase } from "@429chain/db/testing";
import {
  createTestRedis,
  type FakeUpstream,
  freePort,
  startFakeUpstream,
  TEST_REDIS_URL,
  type TestRedis,
} from "@429chain/testing";
import { type GatewayProcess, startGatewayProcess } from "../gateway-process";
import { answers, startChild } from "./child-process";
import { type Nginx, startNginx } from "./nginx";
import { type OperatorEnv, setUpDatabase } from "./operator-cli";

const APPS = new URL("../../../", import.meta.url);
const WORKER_MAIN = fileURLToPath(new URL("worker/src/main.ts", APPS));

export type AdminState = { url: string } | { failed: string };

export interface Stack {
  upstream: FakeUpstream;
  redis: TestRedis;
  /** The test's own connection, for what the admin console does and for reading logs. */
  db: DbHandle;
  masterKey: MasterKey;
  /** Issued with `keys create`. */
  clientKey: string;
  /** gw-1 and gw-2, in that order. */
  gateways: GatewayProcess[];
  nginx: Nginx;
  admin: AdminState;
  stop(): Promise<void>;
}

function tsxLoader(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
}

/** The admin's production server, built first if stale (shared with its browser test). */
async function startAdmin(
  env: Record<string, string>,
): Promise<{ server: AdminServer | null; state: AdminState }> {
  try {
    await ensureAdminBuild();
    const server = await startAdminServer(env);
    return { server, state: { url: server.url } };
  } catch (err) {
    return { server: null, state: { failed: (err as Error).message } };
  }
}

/**
 * Postgres (a fresh database, set up with the CLI), Redis (a unique prefix), two gateways in
 * DB mode, the worker, the admin (built when stale), and nginx in front of the gateways.
 */
export async function startStack(
  config: (upstreamUrl: string) => ConfigInput,
  nginxBinary: string,
): Promise<Stack> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const dir = await mkdtemp(join(tmpdir(), "429chain-system-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const upstream = await startFakeUpstream();
    cleanups.push(() => upstream.close());
    const redis = await createTestRedis("system");
    cleanups.push(() => redis.cleanup());
    const database = await createTestDatabase("system");
    cleanups.push(() => database.drop());

    const masterKeyText = randomBytes(32).toString("base64");
    const env: OperatorEnv = {
      DATABASE_URL: database.url,
      MASTER_KEY: masterKeyText,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: redis.prefix,
    };
    const configPath = join(dir, "config.yaml");
    // JSON is YAML.
    await writeFile(configPath, JSON.stringify(config(upstream.url)));
    const clientKey = await setUpDatabase(env, configPath);
    const db = await createDb({ url: database.url, pool: { max: 4 } });
    cleanups.push(() => db.close());

    const lbPort = await freePort();
    const gatewayEnv = {
      ...env,
      // Long: a change must reach the replicas through pub/sub, not the safety-net poll.
      CONFIG_POLL_MS: "60000",
      SHUTDOWN_TIMEOUT_MS: "3000",
      LOG_LEVEL: "warn",
    };
    const workerPort = await freePort();
    // One after the other: on a busy machine, parallel boots crowd out each other's
    // readiness deadlines. Cleanups run in reverse, so the worker stops last and stores
    // what the gateways flush on SIGTERM.
    const worker = await startChild({
      name: "worker",
      command: process.execPath,
      args: ["--import", tsxLoader(), WORKER_MAIN],
      env: { ...env, WORKER_PORT: String(workerPort), LOG_LEVEL: "warn" },
      isReady: () => answers(`http://127.0.0.1:${workerPort}/health`),
    });
    cleanups.push(() => worker.stop());
    const booted = await Promise.allSettled(
      ["gw-1", "gw-2"].map((id) => startGatewayProcess({ env: { ...gatewayEnv, REPLICA_ID: id } })),
    );
    const gateways = booted.flatMap((g) => (g.status === "fulfilled" ? [g.value] : []));
    cleanups.push(() => Promise.all(gateways.map((g) => g.stop())));
    const failed = booted.find((g) => g.status === "rejected");
    if (failed) throw failed.reason;
    const admin = await startAdmin({ ...env, GATEWAY_URL: `http://127.0.0.1:${lbPort}` });
    const adminServer = admin.server;
    if (adminServer) cleanups.push(() => adminServer.stop());

    const nginx = await startNginx(nginxBinary, {
      listenPort: lbPort,
      gatewayPorts: gateways.map((g) => g.port),
      dir,
    });
    cleanups.push(() => nginx.stop());

    return {
      upstream,
      redis,
      db,
      masterKey: parseMasterKey(masterKeyText),
      clientKey,
      gateways,
      nginx,
      admin: admin.state,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
