import { ConfigSchema, type EntryState } from "@429chain/contracts";
import {
  auditLog,
  createClientKey,
  createDb,
  type DbHandle,
  importConfig,
  masterKeyFromBytes,
  migrate,
} from "@429chain/db";
import { createTestDatabase, type TestDatabase } from "@429chain/db/testing";
import { createRedisStateReader } from "@429chain/quota";
import {
  completion,
  createTestRedis,
  type FakeUpstream,
  openaiRateLimited,
  startFakeUpstream,
  TEST_REDIS_URL,
  type TestRedis,
} from "@429chain/testing";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayProcess, startGatewayProcess } from "../../../test/gateway-process";
import { clearEntryCooldown } from "./clear-cooldown";
import { createControlStateReader, createGatewayControl } from "./gateway-control";
import { createLiveStateReader, type LiveState } from "./live-state";
import { admin } from "./observe-fixtures";
import { controlQuotaView, redisQuotaView } from "./quota-view";

const MASTER_BYTES = Buffer.alloc(32, 9);
const TOKEN = "admin-control-token-test-0001";

/**
 * An openai entry (state under entry keys, a manual limit) before an openrouter one (header
 * windows under the provider's keys): the two ways a policy names its Redis keys.
 */
function config(upstreamUrl: string) {
  return ConfigSchema.parse({
    version: 1,
    providers: [
      {
        id: "a",
        name: "A",
        type: "openai",
        apiKey: "sk-up-a-0001",
        baseUrl: `${upstreamUrl}/a`,
        modelRateLimits: { m: { requestsPerMinute: 50 } },
      },
      {
        id: "r",
        name: "R",
        type: "openrouter",
        apiKey: "sk-or-up-r-0002",
        baseUrl: `${upstreamUrl}/r`,
      },
    ],
    chains: [
      {
        name: "ar",
        entries: [
          { provider: "a", model: "m" },
          { provider: "r", model: "m" },
        ],
      },
    ],
    settings: { defaultChain: "ar" },
  });
}

/** What must match between two readers of one entry (burn rates decay between two reads). */
const comparable = (s: EntryState | undefined) =>
  s && {
    provider: s.provider,
    model: s.model,
    status: s.status,
    cooldownUntil: s.cooldownUntil,
    reason: s.reason,
    windows: s.windows,
  };
const entriesOf = (state: LiveState) => (state.kind === "ok" ? state.entries : []);

let database: TestDatabase;
let db: DbHandle;
let redis: TestRedis;
let upstream: FakeUpstream;
/** Quota state in Redis, control API on. */
let shared: GatewayProcess;
/** Quota state in its own memory (as in the quickstart), control API on. */
let memory: GatewayProcess;
let clientKey: string;

beforeAll(async () => {
  database = await createTestDatabase("admin_gateway_state");
  db = await createDb({ url: database.url });
  await migrate(db);
  redis = await createTestRedis("admin-gateway-state");
  upstream = await startFakeUpstream();
  await importConfig(db.db, config(upstream.url), {
    masterKey: masterKeyFromBytes(MASTER_BYTES),
    actor: "test",
  });
  clientKey = (await createClientKey(db.db, { name: "test" }, "test")).key;
  const env = {
    DATABASE_URL: database.url,
    MASTER_KEY: MASTER_BYTES.toString("hex"),
    CONTROL_TOKEN: TOKEN,
    REQUEST_LOGS: "off",
    LOG_LEVEL: "warn",
  };
  shared = await startGatewayProcess({
    env: { ...env, REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: redis.prefix },
  });
  memory = await startGatewayProcess({ env });
}, 120_000);

afterAll(async () => {
  await shared?.stop();
  await memory?.stop();
  await upstream?.close();
  await redis?.cleanup();
  await db?.close();
  await database?.drop();
});

/** a/m answers 429 for ten minutes; r/m serves with OpenRouter's account-wide window. */
function upstreamLimitsA(): void {
  upstream.route("/a/chat/completions", openaiRateLimited({ retryAfterS: 600 }));
  upstream.setDefault("/r/chat/completions", () =>
    completion("m", "ok", undefined, {
      "x-ratelimit-limit": "20",
      "x-ratelimit-remaining": "17",
      "x-ratelimit-reset": String(Date.now() + 60_000),
    }),
  );
}

async function servedBy(gateway: GatewayProcess): Promise<string | null> {
  const openai = new OpenAI({ apiKey: clientKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  const { response } = await openai.chat.completions
    .create({ model: "ar", messages: [{ role: "user", content: "hi" }] })
    .withResponse();
  return response.headers.get("x-429chain-provider");
}

describe("the admin reads the state a real gateway writes", () => {
  it("from Redis: the keys the gateway writes, entry- and provider-scoped, as the gateway reads them", async () => {
    upstreamLimitsA();
    expect(await servedBy(shared)).toBe("r/m");
    const fromRedis = createLiveStateReader({
      db: db.db,
      quota: createRedisStateReader({ redis: redis.redis, prefix: redis.prefix }),
    });
    const control = createGatewayControl({ url: shared.url, token: TOKEN });
    const admin = entriesOf(await fromRedis.read());
    const gateway = (await control.entryStates()).data;
    expect(admin.map((e) => e.label)).toEqual(["a/m", "r/m"]);
    for (const label of ["a/m", "r/m"]) {
      expect(comparable(admin.find((e) => e.label === label)), label).toEqual(
        comparable(gateway.find((e) => e.label === label)),
      );
    }
    expect(admin[0]).toMatchObject({ status: "cooling_down" });
    expect(admin[0]?.windows).toContainEqual(
      expect.objectContaining({ name: "manual:requestsPerMinute", limit: 50 }),
    );
    expect(admin[1]?.windows).toContainEqual(
      expect.objectContaining({ source: "header", scope: "provider", remaining: 17, limit: 20 }),
    );

    const ledger = await redisQuotaView({
      live: fromRedis,
      quota: createRedisStateReader({ redis: redis.redis, prefix: redis.prefix }),
    })();
    const served = await control.quota();
    expect(ledger.kind).toBe("ok");
    if (ledger.kind !== "ok") return;
    expect(ledger.ledger.chains.map((c) => [c.name, c.entries, c.activeEntry])).toEqual(
      served.chains.map((c) => [c.name, c.entries, c.activeEntry]),
    );
    expect(ledger.ledger.chains[0]?.activeEntry).toBe("r/m");
  });

  it("through the control API of a gateway without Redis: states, the ledger, and clearing a cooldown", async () => {
    upstreamLimitsA();
    expect(await servedBy(memory)).toBe("r/m");
    const control = createGatewayControl({ url: memory.url, token: TOKEN });
    const quota = createControlStateReader(control);
    const live = createLiveStateReader({ db: db.db, quota });
    const before = entriesOf(await live.read());
    expect(before.map((e) => [e.label, e.chains, e.status])).toEqual([
      ["a/m", ["ar"], "cooling_down"],
      ["r/m", ["ar"], "tracking"],
    ]);
    const view = await controlQuotaView(control)();
    expect(view.kind === "ok" && view.ledger.chains[0]?.activeEntry).toBe("r/m");

    const after = await clearEntryCooldown({ db: db.db, quota, live }, admin.user.email, {
      provider: "a",
      model: "m",
    });
    expect(after).toMatchObject({ status: "available", cooldownUntil: null });
    const audit = (await db.db.select().from(auditLog)).filter(
      (row) => row.action === "ratelimit.clear_cooldown",
    );
    expect(audit).toMatchObject([
      { target: "entry:a/m", before: { status: "cooling_down" }, after: { status: "available" } },
    ]);
    upstream.reset();
    expect(await servedBy(memory)).toBe("a/m");
  });

  it("says what is wrong when the control token is refused", async () => {
    const control = createGatewayControl({ url: memory.url, token: "not-the-token-00000000" });
    const live = createLiveStateReader({
      db: db.db,
      quota: createControlStateReader(control),
      source: "the gateway's control API",
    });
    const state = await live.read();
    expect(state).toMatchObject({ kind: "error" });
    expect(state.kind === "error" && state.message).toMatch(
      /^cannot read the gateway's control API: .*401/,
    );
  });
});
