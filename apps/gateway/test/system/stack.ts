import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AdminServer, ensureAdminBuild, startAdminServer } from "@429chain/admin/testing";
import type { ConfigInput } from "@429chain/contracts";
import { type DbHandle, type MasterKey, parseMasterKey } from "@429chain/db";
import {
  type AppProcess,
  type FakeUpstream,
  freePort,
  type StackParts,
  startAppProcess,
  type TestRedis,
} from "@429chain/testing";
import type { Cluster, Redis } from "ioredis";
import type { GatewayProcess } from "../gateway-process";
import { startGatewayStack } from "../test-stack";
import { type Nginx, startNginx } from "./nginx";
import { type OperatorEnv, setUpDatabase } from "./operator-cli";

const WORKER_MAIN = fileURLToPath(new URL("../../../worker/src/main.ts", import.meta.url));

export type AdminState = { url: string } | { failed: string };

export interface Stack {
  upstream: FakeUpstream;
  redis: TestRedis<Redis | Cluster>;
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
  const masterKeyText = randomBytes(32).toString("base64");
  const envOf = (parts: StackParts): OperatorEnv => ({
    DATABASE_URL: parts.databaseUrl,
    MASTER_KEY: masterKeyText,
    ...parts.redisEnv,
  });
  let clientKey = "";
  let dir = "";
  const stack = await startGatewayStack<AppProcess>({
    label: "system",
    // The CLI migrates, imports the config and issues the client key.
    migrate: false,
    async prepare(parts) {
      const { upstream, defer } = parts;
      dir = await mkdtemp(join(tmpdir(), "429chain-system-"));
      defer(() => rm(dir, { recursive: true, force: true }));
      const configPath = join(dir, "config.yaml");
      // JSON is YAML.
      await writeFile(configPath, JSON.stringify(config(upstream.url)));
      clientKey = await setUpDatabase(envOf(parts), configPath);
    },
    // Started before the gateways and stopped after them, so it stores what they flush on
    // SIGTERM.
    worker: (parts) =>
      startAppProcess({
        entry: WORKER_MAIN,
        env: { ...envOf(parts), LOG_LEVEL: "warn" },
        portEnv: "WORKER_PORT",
        readyPath: "/health",
      }),
    gateways: (parts) =>
      ["gw-1", "gw-2"].map((id) => ({
        ...envOf(parts),
        // Long: a change must reach the replicas through pub/sub, not the safety-net poll.
        CONFIG_POLL_MS: "60000",
        SHUTDOWN_TIMEOUT_MS: "3000",
        REPLICA_ID: id,
      })),
  });
  try {
    const lbPort = await freePort();
    const admin = await startAdmin({ ...envOf(stack), GATEWAY_URL: `http://127.0.0.1:${lbPort}` });
    const adminServer = admin.server;
    if (adminServer) stack.defer(() => adminServer.stop());
    const nginx = await startNginx(nginxBinary, {
      listenPort: lbPort,
      gatewayPorts: stack.gateways.map((g) => g.port),
      dir,
    });
    stack.defer(() => nginx.stop());
    return {
      upstream: stack.upstream,
      redis: stack.redis,
      db: stack.db,
      masterKey: parseMasterKey(masterKeyText),
      clientKey,
      gateways: stack.gateways,
      nginx,
      admin: admin.state,
      stop: stack.stop,
    };
  } catch (err) {
    await stack.stop();
    throw err;
  }
}
