import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ConfigInput } from "@429chain/contracts";
import { createDb, type DbHandle, type MasterKey, parseMasterKey } from "@429chain/db";
import { createTestDatabase } from "@429chain/db/testing";
import {
  createTestRedis,
  type FakeUpstream,
  freePort,
  type GatewayProcess,
  startFakeUpstream,
  startGatewayProcess,
  TEST_REDIS_URL,
  type TestRedis,
} from "@429chain/testing";
import { answers, type Child, startChild } from "./child-process";
import { type Nginx, startNginx } from "./nginx";
import { type OperatorEnv, setUpDatabase } from "./operator-cli";

const APPS = new URL("../../../", import.meta.url);
const WORKER_MAIN = fileURLToPath(new URL("worker/src/main.ts", APPS));
const ADMIN_DIR = fileURLToPath(new URL("admin/", APPS));
const NEXT_BIN = join(ADMIN_DIR, "node_modules/next/dist/bin/next");

export type AdminState = { url: string } | { skipped: string } | { failed: string };

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

async function startAdmin(
  env: Record<string, string>,
): Promise<{ child: Child | null; state: AdminState }> {
  if (!existsSync(join(ADMIN_DIR, ".next/BUILD_ID"))) {
    return {
      child: null,
      state: {
        skipped:
          "apps/admin has no production build (.next/BUILD_ID); run `pnpm --filter @429chain/admin build`",
      },
    };
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  try {
    const child = await startChild({
      name: "admin (next start)",
      command: process.execPath,
      args: [NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"],
      cwd: ADMIN_DIR,
      env: { ...env, PORT: String(port), NODE_ENV: "production" },
      readyTimeoutMs: 60_000,
      isReady: async () => {
        const res = await fetch(`${url}/login`, { signal: AbortSignal.timeout(5_000) });
        await res.body?.cancel();
        return true;
      },
    });
    return { child, state: { url } };
  } catch (err) {
    return { child: null, state: { failed: (err as Error).message } };
  }
}

/**
 * Postgres (a fresh database, set up with the CLI), Redis (a unique prefix), two gateways in
 * DB mode, the worker, the admin when it is built, and nginx in front of the gateways.
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
    if (admin.child) cleanups.push(() => (admin.child as Child).stop());

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
