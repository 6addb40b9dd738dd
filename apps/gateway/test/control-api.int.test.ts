import {
  ClearCooldownResponseSchema,
  ControlEntryStatesSchema,
  QuotaLedgerSchema,
} from "@429chain/contracts";
import {
  completion,
  type FakeUpstream,
  freePort,
  openaiRateLimited,
  rateLimitHeaders,
  startFakeUpstream,
} from "@429chain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayProcess, startGatewayProcess } from "./gateway-process";
import { baseConfig, postChat, upstreamProviders, writeTempConfig } from "./harness";

const TOKEN = "control-token-for-the-test-0001";
const A = "/a/chat/completions";

let upstream: FakeUpstream;
let config: { path: string; remove(): void };
/** Control API on PORT (no METRICS_PORT), quota state in memory. */
let onApi: GatewayProcess;
/** Control API on METRICS_PORT. */
let onOps: GatewayProcess;
let opsUrl: string;
/** No CONTROL_TOKEN. */
let off: GatewayProcess;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  config = writeTempConfig(
    baseConfig({
      providers: upstreamProviders(upstream.url, ["a", "b"], {
        modelRateLimits: { m: { requestsPerMinute: 100 } },
      }),
      chains: [
        { name: "ab", entries: ["a", "b"].map((provider) => ({ provider, model: "m" })) },
        { name: "b", entries: [{ provider: "b", model: "m" }] },
      ],
    }),
    "control-api",
  );
  const env = { CONFIG_PATH: config.path, LOG_LEVEL: "warn" };
  const metricsPort = await freePort();
  opsUrl = `http://127.0.0.1:${metricsPort}`;
  // One at a time: three booting at once can take longer than the wait on two busy cores.
  onApi = await startGatewayProcess({ env: { ...env, CONTROL_TOKEN: TOKEN } });
  onOps = await startGatewayProcess({
    env: { ...env, CONTROL_TOKEN: TOKEN, METRICS_PORT: String(metricsPort) },
    // /ready is on METRICS_PORT.
    readyPath: "/health",
  });
  off = await startGatewayProcess({ env });
}, 120_000);

afterAll(async () => {
  await Promise.all([onApi, onOps, off].map((g) => g?.stop()));
  await upstream?.close();
  config?.remove();
});

const control = (base: string, path: string, init: RequestInit = {}, token = TOKEN) =>
  fetch(`${base}/control/${path}`, {
    ...init,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      "content-type": "application/json",
    },
  });

async function states(base: string) {
  const res = await control(base, "entry-states");
  expect(res.status).toBe(200);
  return ControlEntryStatesSchema.parse(await res.json());
}

describe("the gateway's control API (CONTROL_TOKEN)", () => {
  it("refuses a request without the token, or with another one", async () => {
    for (const token of ["", "not-the-control-token-000000"]) {
      for (const path of ["entry-states", "quota"]) {
        const res = await control(onApi.url, path, {}, token);
        expect(res.status, `${path} with ${token || "no token"}`).toBe(401);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
          "invalid_api_key",
        );
      }
      const clear = await control(
        onApi.url,
        "clear-cooldown",
        { method: "POST", body: JSON.stringify({ provider: "a" }) },
        token,
      );
      expect(clear.status).toBe(401);
    }
  });

  it("is not there without CONTROL_TOKEN, and is on METRICS_PORT (only) when that is set", async () => {
    expect((await control(off.url, "entry-states")).status).toBe(404);
    expect((await control(onOps.url, "entry-states")).status).toBe(404);
    const ops = await states(opsUrl);
    expect(ops.data.map((e) => e.label)).toEqual(["a/m", "b/m"]);
  });

  it("lists every entry's live state with its chains, a cooldown included", async () => {
    const fresh = await states(onApi.url);
    expect(fresh.stateStore).toBe("ok");
    expect(fresh.data.map((e) => [e.label, e.chains, e.status])).toEqual([
      ["a/m", ["ab"], "available"],
      ["b/m", ["ab", "b"], "available"],
    ]);
    expect(fresh.data[0]?.windows).toContainEqual(
      expect.objectContaining({ name: "manual:requestsPerMinute", remaining: 100, limit: 100 }),
    );

    upstream.route(A, openaiRateLimited({ retryAfterS: 600 }));
    const res = await postChat(onApi.url, { model: "ab" });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-429chain-provider")).toBe("b/m");
    const after = await states(onApi.url);
    const a = after.data.find((e) => e.label === "a/m");
    expect(a?.status).toBe("cooling_down");
    expect(a?.cooldownUntil).toBeGreaterThan(Date.now() + 500_000);
  });

  it("serves the quota ledger of every chain", async () => {
    upstream.route(
      "/b/chat/completions",
      completion("m", "ok", undefined, {
        ...rateLimitHeaders({
          limitRequests: 1000,
          remainingRequests: 900,
          resetRequests: "6h0m0s",
        }),
      }),
    );
    expect((await postChat(onApi.url, { model: "b" })).status).toBe(200);
    const res = await control(onApi.url, "quota");
    expect(res.status).toBe(200);
    const ledger = QuotaLedgerSchema.parse(await res.json());
    expect(ledger.chains.map((c) => [c.name, c.entries, c.activeEntry])).toEqual([
      ["ab", ["a/m", "b/m"], "b/m"],
      ["b", ["b/m"], "b/m"],
    ]);
    const b = ledger.entries.find((e) => e.label === "b/m");
    expect(b?.windows).toContainEqual(
      expect.objectContaining({ name: "header:requests", remaining: 900, limit: 1000 }),
    );
  });

  it("clears a cooldown; the next request is served by the entry again", async () => {
    upstream.reset();
    const bad = await control(onApi.url, "clear-cooldown", {
      method: "POST",
      body: JSON.stringify({ model: "m" }),
    });
    expect(bad.status).toBe(400);
    const unknown = await control(onApi.url, "clear-cooldown", {
      method: "POST",
      body: JSON.stringify({ provider: "a", model: "other" }),
    });
    expect(unknown.status).toBe(404);

    const res = await control(onApi.url, "clear-cooldown", {
      method: "POST",
      body: JSON.stringify({ provider: "a", model: "m" }),
    });
    expect(res.status).toBe(200);
    const cleared = ClearCooldownResponseSchema.parse(await res.json());
    expect(cleared.data.map((e) => [e.label, e.status, e.cooldownUntil])).toEqual([
      ["a/m", "available", null],
    ]);
    const served = await postChat(onApi.url, { model: "ab" });
    expect(served.headers.get("x-429chain-provider")).toBe("a/m");
  });

  it("clears every entry of a provider when no model is given", async () => {
    const res = await control(opsUrl, "clear-cooldown", {
      method: "POST",
      body: JSON.stringify({ provider: "b" }),
    });
    expect(res.status).toBe(200);
    const cleared = ClearCooldownResponseSchema.parse(await res.json());
    expect(cleared.data.map((e) => e.label)).toEqual(["b/m"]);
  });
});
