import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, type DbHandle, listRequestLogs, migrate } from "@429chain/db";
import { createTestDatabase, type TestDatabase } from "@429chain/db/testing";
import {
  completion,
  createTestRedis,
  type FakeUpstream,
  freePort,
  startFakeUpstream,
  TEST_REDIS_URL,
  type TestRedis,
  waitFor,
} from "@429chain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupAlive, spawnLauncher, waitUntilReady } from "./launcher-process";
import { chat, UPSTREAM_TEXT, writeUpstreamConfig } from "./upstream-config";

let upstream: FakeUpstream;
let database: TestDatabase;
let handle: DbHandle;
let redis: TestRedis;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  upstream.route("/up/chat/completions", completion("m", UPSTREAM_TEXT));
  database = await createTestDatabase("quickstart_ext");
  handle = await createDb({ url: database.url });
  redis = await createTestRedis("quickstart");
  dir = mkdtempSync(join(tmpdir(), "429chain-quickstart-ext-"));
  env = {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: redis.prefix,
    DATA_DIR: join(dir, "data"),
    CONFIG_PATH: writeUpstreamConfig(dir, upstream.url),
    GATEWAY_PORT: String(await freePort()),
    WORKER_PORT: String(await freePort()),
    QUICKSTART_ADMIN: "off",
    LOG_LEVEL: "warn",
  };
});

afterAll(async () => {
  await handle?.close();
  await database?.drop();
  await redis?.cleanup();
  await upstream?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("npm start with DATABASE_URL and REDIS_URL set", { timeout: 120_000 }, () => {
  it("does not migrate a server database: it says how to", async () => {
    const launcher = spawnLauncher(env);
    expect(await launcher.exited).toBe(1);
    expect(launcher.output()).toContain(
      "the database at DATABASE_URL has no 429chain schema yet: run `pnpm cli migrate`",
    );
  });

  it("uses them: no embedded database, logs go through the queue to the worker", async () => {
    await migrate(handle);
    const launcher = spawnLauncher(env);
    try {
      await waitUntilReady(launcher);
      expect(launcher.output()).not.toContain("embedded database");
      expect(existsSync(join(dir, "data", "postgres"))).toBe(false);
      const pids = [launcher.childPid("gateway"), launcher.childPid("worker")];

      const { requestId, text } = await chat(Number(env.GATEWAY_PORT));
      expect(text).toBe(UPSTREAM_TEXT);
      await waitFor(
        async () =>
          (await listRequestLogs(handle.db, { limit: 10 })).items.some(
            (l) => l.requestId === requestId,
          ),
        { timeoutMs: 10_000, description: "the request in the Postgres request log" },
      );

      expect(await launcher.stop("SIGTERM")).toBe(0);
      for (const pid of pids) expect(groupAlive(pid)).toBe(false);
    } finally {
      await launcher.dispose();
    }
  });
});
