import { listProviders, masterKeyFromBytes } from "@429chain/db";
import { dumpTables, type OpenTestDb, openTestDb } from "@429chain/db/testing";
import {
  anthropicErrorBody,
  anthropicRateLimited,
  completion,
  type FakeUpstream,
  freePort,
  groqRateLimited,
  rateLimitHeaders,
  startFakeUpstream,
} from "@429chain/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Session } from "../../lib/auth";
import { ActionError, describeError } from "../../lib/errors";
import { createChainBody } from "../chains/chain-bodies";
import type { ConfigDeps } from "../config/config-write";
import {
  createProviderAction,
  deleteProviderAction,
  setProviderEnabledAction,
  testConnectionAction,
  updateProviderAction,
} from "./provider-actions";
import {
  createProviderBody,
  deleteProviderBody,
  setProviderEnabledBody,
  testConnectionBody,
  updateProviderBody,
} from "./provider-bodies";

const admin: Session = {
  sessionId: "s-admin",
  user: { id: "u1", email: "admin@example.com", role: "admin" },
};
const viewer: Session = {
  sessionId: "s-viewer",
  user: { id: "u2", email: "viewer@example.com", role: "viewer" },
};
const sameOrigin = new Headers({ origin: "http://127.0.0.1:3431", host: "127.0.0.1:3431" });
const KEY = "gsk_admin_console_secret_0042";

describe("provider actions against postgres", () => {
  let t: OpenTestDb;
  let upstream: FakeUpstream;
  let published: number[];
  let deps: ConfigDeps;
  beforeAll(async () => {
    t = await openTestDb("postgres", "admin_provider_actions");
    upstream = await startFakeUpstream();
  });
  afterAll(async () => {
    await upstream.close();
    await t.cleanup();
  });
  beforeEach(async () => {
    await t.reset();
    upstream.reset();
    published = [];
    deps = {
      db: t.db,
      masterKey: masterKeyFromBytes(Buffer.alloc(32, 7)),
      publish: async (v) => {
        published.push(v);
      },
    };
  });

  const groq = () => ({
    id: "groq-free",
    name: "Groq",
    type: "groq",
    apiKey: KEY,
    baseUrl: `${upstream.url}/groq`,
  });

  it("writes as an admin, publishing each new config version", async () => {
    await createProviderBody(deps, admin, groq());
    await updateProviderBody(deps, admin, {
      id: "groq-free",
      provider: { name: "Groq free", type: "groq", rateLimits: { requestsPerMinute: 30 } },
    });
    await setProviderEnabledBody(deps, admin, { id: "groq-free", enabled: false });
    await createProviderBody(deps, admin, { ...groq(), id: "spare" });
    await deleteProviderBody(deps, admin, { id: "spare" });
    expect(published).toEqual([1, 2, 3, 4, 5]);
    const [view] = await listProviders(t.db, deps);
    expect(view).toMatchObject({ name: "Groq free", enabled: false, maskedApiKey: "••••0042" });
    expect(view!.baseUrl).toBeNull();
  });

  it("refuses a viewer with 403 for every write and leaves the database unchanged", async () => {
    await createProviderBody(deps, admin, groq());
    const before = await dumpTables(t.db);
    const context = { session: viewer, headers: sameOrigin };
    const results = [
      await createProviderAction.withContext(context)({ ...groq(), id: "other" }),
      await updateProviderAction.withContext(context)({ id: "groq-free", provider: groq() }),
      await setProviderEnabledAction.withContext(context)({ id: "groq-free", enabled: false }),
      await deleteProviderAction.withContext(context)({ id: "groq-free" }),
      await testConnectionAction.withContext(context)({ id: "groq-free", model: "m" }),
    ];
    for (const result of results) expect(result).toMatchObject({ ok: false, status: 403 });
    expect(await dumpTables(t.db)).toEqual(before);
    expect(upstream.hits("/groq/chat/completions")).toBe(0);
  });

  it("refuses a cross-site call even from an admin session", async () => {
    const evil = new Headers({ origin: "https://evil.example", host: "127.0.0.1:3431" });
    const result = await createProviderAction.withContext({ session: admin, headers: evil })(
      groq(),
    );
    expect(result).toMatchObject({ ok: false, status: 403 });
    expect(await listProviders(t.db, deps)).toEqual([]);
  });

  it("turns refusals into specific errors with field paths", async () => {
    await createProviderBody(deps, admin, groq());
    await createChainBody(deps, admin, {
      name: "fast",
      entries: [{ provider: "groq-free", model: "llama" }],
    });
    const inUse = await deleteProviderBody(deps, admin, { id: "groq-free" }).catch((e) => e);
    expect(inUse).toBeInstanceOf(ActionError);
    expect(inUse).toMatchObject({
      status: 409,
      message: "provider groq-free is used by chain fast",
    });
    const invalid = await createProviderBody(deps, admin, {
      ...groq(),
      id: "bad",
      baseUrl: "not a url",
      rateLimits: { requestsPerMinute: 0 },
    }).catch((e) => e);
    expect(invalid.status).toBe(400);
    expect(invalid.fieldErrors).toEqual({
      baseUrl: ["must be an http(s) URL"],
      "rateLimits.requestsPerMinute": ["Too small: expected number to be >0"],
    });
    expect(published).toEqual([1, 2]);
  });

  it("tests a connection with one token and parses the rate-limit headers", async () => {
    await createProviderBody(deps, admin, groq());
    const headers = rateLimitHeaders({
      limitRequests: 14_400,
      remainingRequests: 14_399,
      resetRequests: "6s",
      limitTokens: 6_000,
      remainingTokens: 5_990,
      resetTokens: "100ms",
    });
    upstream.route("/groq/chat/completions", completion("llama", "H", undefined, headers));
    const result = await testConnectionBody(deps, { id: "groq-free", model: "llama" });
    expect(result).toMatchObject({ ok: true, status: 200, outcome: "ok" });
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    expect(result.rateLimits.map((w) => [w.name, w.limit, w.remaining])).toEqual([
      ["requests-day", 14_400, 14_399],
      ["tokens", 6_000, 5_990],
    ]);
    const [sent] = upstream.requests("/groq/chat/completions");
    expect(sent!.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(sent!.body).toMatchObject({ model: "llama", max_tokens: 1, stream: false });
    expect(JSON.stringify(result)).not.toContain(KEY);
  });

  it("sends stored credential headers decrypted and masks every secret an upstream echoes", async () => {
    const HEADER = "hdr-admin-console-secret-0099";
    await createProviderBody(deps, admin, { ...groq(), headers: { "X-Api-Key": HEADER } });
    upstream.route("/groq/chat/completions", {
      status: 401,
      body: {
        error: {
          message: `Incorrect API key provided: ${KEY} (x-api-key ${HEADER})`,
          type: "invalid_request_error",
          code: "invalid_api_key",
        },
      },
    });
    const result = await testConnectionBody(deps, { id: "groq-free", model: "llama" });
    expect(result).toMatchObject({ ok: false, status: 401, outcome: "auth_failed" });
    expect(result.message).toContain("••••0042");
    expect(result.message).toContain("••••0099");
    expect(JSON.stringify(result)).not.toContain(KEY);
    expect(JSON.stringify(result)).not.toContain(HEADER);
    const [sent] = upstream.requests("/groq/chat/completions");
    expect(sent!.headers["x-api-key"]).toBe(HEADER);
    const [view] = await listProviders(t.db, deps);
    expect(view!.headers).toEqual({ "X-Api-Key": "••••0099" });
  });

  it("refuses, as a 409, to keep a credential header MASTER_KEY cannot open", async () => {
    await createProviderBody(deps, admin, { ...groq(), headers: { "X-Api-Key": "hdr-0000-0001" } });
    const otherKey = { ...deps, masterKey: masterKeyFromBytes(Buffer.alloc(32, 8)) };
    const error = await updateProviderBody(otherKey, admin, {
      id: "groq-free",
      provider: {
        name: "Groq",
        type: "groq",
        headers: { "X-Api-Key": "<redacted:provider-header>" },
      },
    }).catch((e) => e);
    const described = describeError(error);
    expect(described.status).toBe(409);
    expect(described.error).toMatch(
      /^provider "groq-free" header "X-Api-Key": secret was encrypted with master key \w+/,
    );
  });

  it("reports a rate-limited, a silent and an unreachable provider", async () => {
    await createProviderBody(deps, admin, groq());
    upstream.route("/groq/chat/completions", groqRateLimited());
    const limited = await testConnectionBody(deps, { id: "groq-free", model: "llama" });
    expect(limited).toMatchObject({ ok: false, status: 429, outcome: "rate_limited" });
    expect(limited.rateLimits.find((w) => w.name === "tokens")?.remaining).toBe(0);

    upstream.reset();
    upstream.route("/groq/chat/completions", { hang: true });
    const silent = await testConnectionBody(deps, { id: "groq-free", model: "llama" }, 200);
    expect(silent).toMatchObject({
      ok: false,
      status: null,
      outcome: "transport_error",
      message: "no answer within 0.2 s",
    });

    const port = await freePort();
    await updateProviderBody(deps, admin, {
      id: "groq-free",
      provider: { ...groq(), baseUrl: `http://127.0.0.1:${port}/v1` },
    });
    const unreachable = await testConnectionBody(deps, { id: "groq-free", model: "llama" });
    expect(unreachable).toMatchObject({
      status: null,
      message: "could not reach the provider (ECONNREFUSED)",
    });
  });

  it("tests an anthropic provider with the smallest Messages request, keyed by x-api-key", async () => {
    const ANTHROPIC_KEY = "sk-ant-api03-admin-console-secret-0077";
    await createProviderBody(deps, admin, {
      id: "claude",
      name: "Anthropic",
      type: "anthropic",
      apiKey: ANTHROPIC_KEY,
      baseUrl: `${upstream.url}/anthropic`,
    });
    const ok = await testConnectionBody(deps, { id: "claude", model: "claude-haiku-4-5" });
    expect(ok).toMatchObject({ ok: true, status: 200, outcome: "ok" });
    const [sent] = upstream.requests("/anthropic/v1/messages");
    expect(sent!.headers["x-api-key"]).toBe(ANTHROPIC_KEY);
    expect(sent!.headers["anthropic-version"]).toBe("2023-06-01");
    expect(sent!.headers.authorization).toBeUndefined();
    expect(sent!.body).toEqual({
      model: "claude-haiku-4-5",
      max_tokens: 1,
      stream: false,
      messages: [{ role: "user", content: "ping" }],
    });

    // RFC 3339 resets have whole seconds.
    const resetAt = (Math.floor(Date.now() / 1000) + 30) * 1000;
    upstream.route("/anthropic/v1/messages", anthropicRateLimited({ resetAt }));
    const limited = await testConnectionBody(deps, { id: "claude", model: "claude-haiku-4-5" });
    expect(limited).toMatchObject({ ok: false, status: 429, outcome: "rate_limited" });
    expect(limited.rateLimits.find((w) => w.name === "anthropic-requests")).toMatchObject({
      remaining: 0,
      resetAt,
    });

    // An upstream that echoes the key it was sent: the result masks it.
    upstream.reset();
    upstream.route("/anthropic/v1/messages", (req) => ({
      status: 401,
      body: anthropicErrorBody(
        "authentication_error",
        `invalid x-api-key ${req.headers["x-api-key"]}`,
      ),
    }));
    const refused = await testConnectionBody(deps, { id: "claude", model: "claude-haiku-4-5" });
    expect(refused).toMatchObject({ ok: false, status: 401, outcome: "auth_failed" });
    // The classifier redacts key-like text itself; scrubbing would mask what it left.
    expect(refused.message).toBe("401 authentication_error: invalid x-api-key [redacted]");
    for (const result of [ok, limited, refused]) {
      expect(JSON.stringify(result)).not.toContain(ANTHROPIC_KEY);
    }
  });

  it("names an unknown provider in a connection test", async () => {
    const error = await testConnectionBody(deps, { id: "nope", model: "m" }).catch((e) => e);
    expect(error).toMatchObject({ status: 404, message: 'no provider "nope"' });
  });
});
