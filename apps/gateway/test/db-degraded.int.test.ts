import { type FakeUpstream, startFakeUpstream, waitFor } from "@429chain/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEnv } from "../src/env";
import { createGateway, type Gateway } from "../src/gateway";
import { createTestDb, type TestDb } from "./db-fixture";
import { baseConfig, postChat } from "./harness";

let upstream: FakeUpstream;
let db: TestDb;
let gateway: Gateway;
let url: string;
const dbName = () => new URL(db.url).pathname.slice(1);

async function readyStatus(): Promise<string> {
  return ((await (await fetch(`${url}/ready`)).json()) as { status: string }).status;
}

/** Runs SQL on the server's maintenance database (the test database itself may refuse us). */
async function admin(query: string) {
  const maintenance = new URL(db.url);
  maintenance.pathname = "/postgres";
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  upstream = await startFakeUpstream();
  db = await createTestDb("gw_degraded");
  await db.importConfig(
    baseConfig({
      providers: [
        { id: "a", name: "A", type: "openai", apiKey: "ka", baseUrl: `${upstream.url}/a` },
      ],
      chains: [{ name: "a", entries: [{ provider: "a", model: "m" }] }],
    }),
  );
  gateway = await createGateway(
    readEnv({
      DATABASE_URL: db.url,
      MASTER_KEY: db.masterKeyText,
      CONFIG_POLL_MS: "100",
      LOG_LEVEL: "silent",
    }),
  );
  url = await gateway.app.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await admin(`ALTER DATABASE "${dbName()}" ALLOW_CONNECTIONS true`);
  await gateway.app.close();
  await gateway.closeResources();
  await upstream.close();
  await db.close();
});

describe("DB mode with Postgres unreachable", () => {
  it("keeps serving the last snapshot, reports degraded, and recovers", async () => {
    await admin(`ALTER DATABASE "${dbName()}" ALLOW_CONNECTIONS false`);
    await admin(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${dbName()}'`,
    );
    await waitFor(async () => (await readyStatus()) === "degraded", { timeoutMs: 5000 });
    const ready = await (await fetch(`${url}/ready`)).json();
    expect(ready).toMatchObject({ configSource: "degraded" });
    expect((await postChat(url, { model: "a" })).status).toBe(200);

    await admin(`ALTER DATABASE "${dbName()}" ALLOW_CONNECTIONS true`);
    await waitFor(async () => (await readyStatus()) === "ready", { timeoutMs: 5000 });
  });
});
