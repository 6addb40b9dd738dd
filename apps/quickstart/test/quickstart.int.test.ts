import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { adminUsers, createDb, getConfigVersion, listRequestLogs } from "@429chain/db";
import {
  completion,
  type FakeUpstream,
  freePort,
  startFakeUpstream,
  waitFor,
} from "@429chain/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { processTree } from "../bench/process-tree";
import {
  groupAlive,
  type LauncherProcess,
  spawnLauncher,
  waitUntilReady,
} from "./launcher-process";
import { chat, UPSTREAM_TEXT, writeUpstreamConfig } from "./upstream-config";

const GATEWAY_BUILD = fileURLToPath(new URL("../../gateway/dist/main.mjs", import.meta.url));

let upstream: FakeUpstream;
let dir: string;
let dataDir: string;
let configPath: string;
let gatewayPort: number;
let dbPort: number;
const running: LauncherProcess[] = [];

function start(extra: Record<string, string> = {}): LauncherProcess {
  const launcher = spawnLauncher({
    DATA_DIR: dataDir,
    CONFIG_PATH: configPath,
    GATEWAY_PORT: String(gatewayPort),
    EMBEDDED_DB_PORT: String(dbPort),
    QUICKSTART_ADMIN: "off",
    LOG_LEVEL: "warn",
    ...extra,
  });
  running.push(launcher);
  return launcher;
}

async function withEmbeddedDb<T>(
  use: (db: Awaited<ReturnType<typeof createDb>>["db"]) => Promise<T>,
) {
  const handle = await createDb({ url: `postgres://postgres@127.0.0.1:${dbPort}/postgres` });
  try {
    return await use(handle.db);
  } finally {
    await handle.close();
  }
}

/** Whether the launcher printed `first` before `second`. */
function before(launcher: LauncherProcess, first: string, second: string): boolean {
  const output = launcher.output();
  return output.includes(first) && output.indexOf(first) < output.indexOf(second);
}

async function embeddedSetting(name: string): Promise<unknown> {
  const handle = await createDb({ url: `postgres://postgres@127.0.0.1:${dbPort}/postgres` });
  try {
    if (handle.driver !== "pg") throw new Error("expected a connection to the embedded server");
    return (await handle.pool.query(`SHOW ${name}`)).rows[0]?.[name];
  } finally {
    await handle.close();
  }
}

beforeAll(async () => {
  upstream = await startFakeUpstream();
  upstream.route("/up/chat/completions", completion("m", UPSTREAM_TEXT));
  dir = mkdtempSync(join(tmpdir(), "429chain-quickstart-"));
  dataDir = join(dir, "data");
  configPath = writeUpstreamConfig(dir, upstream.url);
  gatewayPort = await freePort();
  dbPort = await freePort();
});

afterEach(async () => {
  for (const launcher of running.splice(0)) await launcher.dispose();
});

afterAll(async () => {
  await upstream?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Each test starts real processes (PGlite, gateway): slow on a busy machine, never hung.
describe("npm start on embedded defaults", { timeout: 120_000 }, () => {
  it("first run: migrates, imports the config, creates the admin, serves and logs; Ctrl-C stops everything", async () => {
    const launcher = start();
    await waitUntilReady(launcher);
    const gatewayPid = launcher.childPid("gateway");
    // The launcher runs in run.mjs's own process and starts the gateway's build with node:
    // no pnpm, sh, tsx or esbuild process anywhere in the tree.
    const tree = processTree(launcher.pid);
    expect(tree.map((p) => p.pid)).toEqual([launcher.pid, gatewayPid]);
    expect(tree[1]?.command).toBe(`${process.execPath} ${GATEWAY_BUILD}`);
    // initdb ran in a process of its own, so its memory is not the launcher's.
    expect(launcher.output()).toMatch(/started embedded database setup \(pid \d+\)/);
    expect(launcher.output()).toContain(`imported ${configPath} into the database`);
    // A new database: the gateway starts once it is created, migrated and set up.
    expect(before(launcher, "created the admin account", "started gateway")).toBe(true);
    expect(launcher.output()).toContain("created the admin account admin@429chain.local");
    for (const file of ["master.key", "admin-password.txt"]) {
      expect(statSync(join(dataDir, file)).mode & 0o777).toBe(0o600);
    }
    const password = readFileSync(join(dataDir, "admin-password.txt"), "utf8").split("\n")[1];
    expect(launcher.output()).toContain(`password ${password}`);

    const { requestId, text } = await chat(gatewayPort);
    expect(text).toBe(UPSTREAM_TEXT);
    // The control API the admin reads the live state through: on, with this run's own token.
    const controlUrl = `http://127.0.0.1:${gatewayPort}/control/entry-states`;
    expect((await fetch(controlUrl)).status).toBe(401);
    const token = /(?:^|\0)CONTROL_TOKEN=([^\0]+)/.exec(
      readFileSync(`/proc/${gatewayPid}/environ`, "utf8"),
    )?.[1];
    expect(token).toMatch(/^[\w-]{32}$/);
    const states = await fetch(controlUrl, { headers: { authorization: `Bearer ${token}` } });
    expect(states.status).toBe(200);
    expect(((await states.json()) as { data: { label: string }[] }).data[0]?.label).toBe("up/m");
    // The gateway's in-process sink writes the log into the embedded database.
    await withEmbeddedDb(async (db) => {
      const logged = async () => (await listRequestLogs(db, { limit: 10 })).items;
      await waitFor(async () => (await logged()).some((l) => l.requestId === requestId), {
        timeoutMs: 10_000,
        description: "the request in the embedded request log",
      });
      expect((await logged()).find((l) => l.requestId === requestId)).toMatchObject({
        outcome: "ok",
        provider: "up",
      });
    });

    expect(await launcher.stop("SIGINT")).toBe(0);
    expect(groupAlive(gatewayPid)).toBe(false);
    expect(existsSync(join(dataDir, "quickstart.pid"))).toBe(false);
    expect(launcher.output()).toContain("[quickstart] stopped");
  });

  it("later runs keep the data: no second import, no second admin", async () => {
    const launcher = start();
    await waitUntilReady(launcher);
    expect(launcher.output()).not.toContain("imported");
    expect(launcher.output()).not.toContain("created the admin account");
    expect(launcher.output()).toContain("first password in");
    // Migrated by the first run: the gateway loads while the database opens.
    expect(before(launcher, "started gateway", "opening the embedded database")).toBe(true);
    await withEmbeddedDb(async (db) => {
      expect(await db.$count(adminUsers)).toBe(1);
      expect(await getConfigVersion(db)).toBe(1);
      expect((await listRequestLogs(db, { limit: 10 })).items).toHaveLength(1);
    });
    // A small buffer pool: PGlite holds it in the launcher's memory.
    expect(await embeddedSetting("shared_buffers")).toBe("16MB");
    expect((await chat(gatewayPort)).text).toBe(UPSTREAM_TEXT);
    expect(await launcher.stop("SIGTERM")).toBe(0);
  });

  it("starts the gateway after migrating a database an older version left", async () => {
    writeFileSync(join(dataDir, "schema-version"), "0000_older\n");
    const launcher = start();
    await waitUntilReady(launcher);
    expect(before(launcher, "opening the embedded database", "started gateway")).toBe(true);
    expect((await chat(gatewayPort)).text).toBe(UPSTREAM_TEXT);
    expect(await launcher.stop("SIGTERM")).toBe(0);
    expect(readFileSync(join(dataDir, "schema-version"), "utf8")).not.toContain("0000_older");
  });

  it("stops everything and exits non-zero when a child dies; the data directory survives", async () => {
    const launcher = start();
    await waitUntilReady(launcher);
    process.kill(launcher.childPid("gateway"), "SIGKILL");
    expect(await launcher.exited).toBe(1);
    expect(launcher.output()).toContain("gateway exited unexpectedly (killed by SIGKILL)");

    const again = start();
    await waitUntilReady(again);
    expect((await chat(gatewayPort)).text).toBe(UPSTREAM_TEXT);
    expect(await again.stop("SIGINT")).toBe(0);
  });

  it("refuses a gateway port already in use, before touching the data directory", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(gatewayPort, "127.0.0.1", resolve));
    try {
      const launcher = start({ DATA_DIR: join(dir, "unused") });
      expect(await launcher.exited).toBe(1);
      expect(launcher.output()).toContain(
        `port ${gatewayPort} on 127.0.0.1 is already in use: stop what listens there or set GATEWAY_PORT`,
      );
      expect(existsSync(join(dir, "unused"))).toBe(false);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
