import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Db, parseMasterKey } from "@429chain/db";
import { abortable } from "./abortable";
import { adminBuildReason } from "./admin-build";
import type { Child } from "./child-process";
import {
  type DataDir,
  displayPath,
  openDataDir,
  resolveMasterKey,
  writeSecretFile,
} from "./data-dir";
import {
  embeddedDatabaseIsCurrent,
  embeddedDatabaseUrl,
  startEmbeddedPostgres,
} from "./embedded-postgres";
import { type Env, inheritedEnv } from "./env";
import { openExternalDatabase } from "./external-database";
import { ADMIN_EMAIL, type FirstRunResult, setUpEmptyDatabase } from "./first-run";
import { listenAndHold } from "./held-listener";
import { acquireLock } from "./lock-file";
import { assertPortFree } from "./ports";
import {
  ADMIN_DIR,
  adminBuildSpec,
  adminStartSpec,
  gatewaySpec,
  REPO_ROOT,
  workerSpec,
} from "./process-specs";
import { describeExit, type Supervisor } from "./supervisor";
import { waitUntilAnswers } from "./wait-ready";

const READY_TIMEOUT_MS = 120_000;

interface StackContext {
  env: Env;
  supervisor: Supervisor;
  /** Aborted by SIGINT/SIGTERM or by a child that died. */
  signal: AbortSignal;
  say(line: string): void;
}

export interface ReadyStack {
  gatewayUrl: string;
  adminUrl: string | undefined;
  databaseUrl: string;
  embedded: boolean;
  dataDir: DataDir;
  firstRun: FirstRunResult;
}

/** Starts database, gateway, worker (with Redis) and admin; resolves once all answer. */
export async function startStack(ctx: StackContext): Promise<ReadyStack> {
  const { env, supervisor, say } = ctx;
  const withAdmin = env.QUICKSTART_ADMIN === "on" && existsSync(join(ADMIN_DIR, "package.json"));
  if (env.QUICKSTART_ADMIN === "on" && !withAdmin) {
    say("apps/admin does not exist yet: starting without the admin console");
  }
  await assertPortFree(env.GATEWAY_PORT, "GATEWAY_PORT");
  if (withAdmin) await assertPortFree(env.ADMIN_PORT, "ADMIN_PORT");

  const dataDir = openDataDir(env.DATA_DIR);
  supervisor.onClose("data directory lock", acquireLock(dataDir.lock));
  const masterKey = resolveMasterKey(env.MASTER_KEY, dataDir);
  if (masterKey.generated) {
    say(
      `generated MASTER_KEY in ${displayPath(dataDir.masterKey)}: keep it, it decrypts the stored provider keys`,
    );
  }
  const key = parseMasterKey(masterKey.value, env.MASTER_KEY ? "MASTER_KEY" : dataDir.masterKey);

  // The embedded database's port listens at once, holding connections until the database is
  // migrated and serves: the admin (which needs no database before its first request) and,
  // on a warm start, the gateway load while PGlite opens.
  const external = env.DATABASE_URL;
  const listener = external
    ? undefined
    : await listenAndHold(env.EMBEDDED_DB_PORT ?? 0, "EMBEDDED_DB_PORT");
  if (listener) supervisor.onClose("embedded database port", () => listener.close());
  const databaseUrl = external ?? embeddedDatabaseUrl(listener?.port ?? 0);
  const inherited = inheritedEnv();
  const shared = { ...inherited, DATABASE_URL: databaseUrl, MASTER_KEY: masterKey.value };
  // The admin reads the gateway's live state (in its memory without Redis) through the
  // gateway's control API, with a token made for this run only.
  const control = {
    token: randomBytes(24).toString("base64url"),
    url: `http://127.0.0.1:${env.METRICS_PORT ?? env.GATEWAY_PORT}`,
  };
  const admin = withAdmin ? startAdmin(ctx, shared, control) : undefined;
  // Awaited once the gateway is started; until then a failure must not be an unhandled one.
  admin?.catch(() => {});
  const gatewayUrl = `http://127.0.0.1:${env.GATEWAY_PORT}`;
  const startGateway = () =>
    supervisor.start(
      gatewaySpec({
        ...shared,
        PORT: String(env.GATEWAY_PORT),
        HOST: "127.0.0.1",
        CONTROL_TOKEN: control.token,
        // Without Redis no pub/sub carries admin edits: poll the config version every second.
        CONFIG_POLL_MS: inherited.CONFIG_POLL_MS ?? (env.REDIS_URL ? undefined : "1000"),
        SHUTDOWN_TIMEOUT_MS: inherited.SHUTDOWN_TIMEOUT_MS ?? "10000",
      }),
    );
  // Only when the database exists and needs no migration: opening it takes a second or so,
  // well within the 5 s the gateway's pool waits for a connection; initdb or a migration of a
  // large table can take longer.
  const early = listener !== undefined && embeddedDatabaseIsCurrent(dataDir);
  if (early) startGateway();

  let firstRun: FirstRunResult = {};
  const setUp = async (db: Db) => {
    firstRun = await setUpEmptyDatabase(db, { configPath: env.CONFIG_PATH, masterKey: key, say });
  };
  if (external) {
    const handle = await openExternalDatabase(external);
    try {
      await setUp(handle.db);
    } finally {
      await handle.close();
    }
  } else {
    await startEmbeddedPostgres({
      dataDir,
      listener: listener!,
      supervisor,
      env: inherited,
      signal: ctx.signal,
      say,
      setUp,
    });
  }
  if (firstRun.importedFrom) say(`imported ${firstRun.importedFrom} into the database`);
  if (firstRun.adminPassword) {
    writeSecretFile(dataDir.adminPassword, `${ADMIN_EMAIL}\n${firstRun.adminPassword}\n`);
    say(`created the admin account ${ADMIN_EMAIL}`);
  }
  ctx.signal.throwIfAborted();

  if (!early) startGateway();
  // With Redis the gateway queues request logs in BullMQ; the worker writes them.
  if (env.REDIS_URL) supervisor.start(workerSpec(shared));

  const adminUrl = withAdmin ? `http://127.0.0.1:${env.ADMIN_PORT}` : undefined;
  await admin;

  const ready = { timeoutMs: READY_TIMEOUT_MS, signal: ctx.signal };
  // With METRICS_PORT the gateway serves /ready there, not on the API port.
  const opsUrl = env.METRICS_PORT ? `http://127.0.0.1:${env.METRICS_PORT}` : gatewayUrl;
  await waitUntilAnswers(`${opsUrl}/ready`, { ...ready, accept: (s) => s === 200 });
  if (adminUrl) await waitUntilAnswers(adminUrl, ready);
  return { gatewayUrl, adminUrl, databaseUrl, embedded: !external, dataDir, firstRun };
}

async function startAdmin(
  ctx: StackContext,
  shared: NodeJS.ProcessEnv,
  control: { url: string; token: string },
): Promise<Child> {
  const { env, supervisor, say } = ctx;
  const adminEnv = {
    ...shared,
    PORT: String(env.ADMIN_PORT),
    GATEWAY_URL: `http://127.0.0.1:${env.GATEWAY_PORT}`,
    GATEWAY_CONTROL_URL: control.url,
    GATEWAY_CONTROL_TOKEN: control.token,
    // Build and serve .next, the directory adminBuildReason checks (the admin's e2e test
    // builds elsewhere).
    ADMIN_DIST_DIR: undefined,
  };
  const reason = adminBuildReason(REPO_ROOT, ADMIN_DIR);
  if (reason) {
    say(`building the admin console (${reason}): next build`);
    const build = supervisor.run(adminBuildSpec(adminEnv));
    const exit = await abortable(build.exited, ctx.signal);
    if (exit.code !== 0)
      throw new Error(`the admin console's build failed (${describeExit(exit)})`);
  }
  return supervisor.start(adminStartSpec(adminEnv, env.ADMIN_PORT));
}
