import type { ConfigInput } from "@429chain/contracts";
import {
  completion,
  type FakeUpstream,
  openaiRateLimited,
  startFakeUpstream,
} from "@429chain/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { baseConfig, startTestGateway, TEST_KEY, type TestGateway } from "./harness";

let upstream: FakeUpstream;
let gw: TestGateway;
let config: ConfigInput;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  config = baseConfig({
    providers: [
      { id: "a", name: "A", type: "openai", apiKey: "sk-upstream-a", baseUrl: `${upstream.url}/a` },
      {
        id: "b",
        name: "B",
        type: "openrouter",
        apiKey: "sk-upstream-b",
        baseUrl: `${upstream.url}/b`,
      },
    ],
    chains: [
      {
        name: "fast",
        entries: [
          { provider: "a", model: "m-a" },
          { provider: "b", model: "vendor/m-b:free" },
        ],
      },
      { name: "slow", entries: [{ provider: "b", model: "vendor/m-b:free" }] },
    ],
  });
  gw = await startTestGateway(config);
});
afterEach(() => upstream.reset());
afterAll(async () => {
  await gw.close();
  await upstream.close();
});

const chat = { messages: [{ role: "user", content: "hi" }] };

async function call(path: string, init: RequestInit & { key?: string | null } = {}) {
  const headers = new Headers(init.headers);
  if (init.key !== null) headers.set("authorization", `Bearer ${init.key ?? TEST_KEY}`);
  return fetch(`${gw.url}${path}`, { ...init, headers });
}

async function postRaw(body: string, contentType = "application/json") {
  return call("/v1/chat/completions", {
    method: "POST",
    body,
    headers: { "content-type": contentType },
  });
}

describe("auth", () => {
  it("401s a missing key in the OpenAI error shape", async () => {
    const res = await call("/v1/chat/completions", {
      method: "POST",
      body: JSON.stringify(chat),
      key: null,
    });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { code: string; type: string } };
    expect(body.error).toMatchObject({ code: "invalid_api_key", type: "authentication_error" });
  });
  it("401s a wrong key and never reaches an upstream", async () => {
    const res = await call("/v1/models", { key: "sk-wrong" });
    expect(res.status).toBe(401);
    expect(upstream.hits("/a/chat/completions")).toBe(0);
  });
});

describe("validation", () => {
  it("400s malformed JSON", async () => {
    const res = await postRaw("{not json");
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_json");
  });
  it("400s a missing messages field, naming it", async () => {
    const res = await postRaw(JSON.stringify({ model: "fast" }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { param: string; message: string } };
    expect(body.error.param).toBe("messages");
    expect(body.error.message).toContain("messages");
  });
  it("400s a field of the wrong type as invalid, not as missing", async () => {
    const res = await postRaw(JSON.stringify({ model: "fast", messages: "hi" }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; param: string } };
    expect(body.error.param).toBe("messages");
    expect(body.error.message).not.toContain("required");
  });

  it("400s a wrong type deep in the body, naming the path", async () => {
    const res = await postRaw(
      JSON.stringify({ model: "fast", messages: [{ role: "robot", content: "x" }] }),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { param: string } }).error.param).toBe(
      "messages[0].role",
    );
  });
  it("400s a body that is JSON but not an object", async () => {
    const res = await postRaw("[1,2]");
    expect(res.status).toBe(400);
  });
  it("413s a body over the limit", async () => {
    const res = await postRaw(JSON.stringify({ ...chat, pad: "x".repeat(11 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      "request_too_large",
    );
  });
  it("accepts JSON sent with curl's default form content type", async () => {
    upstream.route("/a/chat/completions", completion("m-a", "ok"));
    const res = await postRaw(
      JSON.stringify({ model: "fast", ...chat }),
      "application/x-www-form-urlencoded",
    );
    expect(res.status).toBe(200);
  });
  it("404s an unknown route in the OpenAI error shape", async () => {
    const res = await call("/v1/nope");
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });
});

describe("model resolution", () => {
  it("sends provider-id/model straight to that entry (model names may hold '/')", async () => {
    const res = await postRaw(JSON.stringify({ model: "b/vendor/m-b:free", ...chat }));
    expect(res.headers.get("x-429chain-provider")).toBe("b/vendor/m-b:free");
    expect((upstream.requests("/b/chat/completions")[0]!.body as { model: string }).model).toBe(
      "vendor/m-b:free",
    );
  });
  it("sends an unknown model to the default chain (v1 behaviour)", async () => {
    const res = await postRaw(JSON.stringify({ model: "gpt-4o", ...chat }));
    expect(res.headers.get("x-429chain-provider")).toBe("a/m-a");
  });
  it("404s model_not_found listing the chains when unknownModel is reject", async () => {
    await gw.writeConfig({
      ...config,
      settings: { ...config.settings, unknownModel: "reject" },
    } as ConfigInput);
    try {
      const res = await postRaw(JSON.stringify({ model: "gpt-4o", ...chat }));
      expect(res.status).toBe(404);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("model_not_found");
      expect(body.error.message).toContain("fast, slow");
    } finally {
      await gw.writeConfig(config);
    }
  });
});

describe("info endpoints", () => {
  it("lists chains and provider/model pairs in /v1/models", async () => {
    const body = (await (await call("/v1/models")).json()) as { data: Array<{ id: string }> };
    expect(body.data.map((m) => m.id)).toEqual(["fast", "slow", "a/m-a", "b/vendor/m-b:free"]);
  });
  it("answers /health without auth and /ready while serving", async () => {
    const health = await call("/health", { key: null });
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: "ok", providers: 2, chains: 2 });
    const ready = await call("/ready", { key: null });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", stateStore: "ok" });
  });
  it("fails /ready and new chat requests with 503 once shutdown has started", async () => {
    gw.gateway.lifecycle.shuttingDown = true;
    try {
      const ready = await call("/ready", { key: null });
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: "shutting_down" });
      const chatRes = await postRaw(JSON.stringify({ model: "fast", ...chat }));
      expect(chatRes.status).toBe(503);
      expect(((await chatRes.json()) as { error: { code: string } }).error.code).toBe(
        "shutting_down",
      );
    } finally {
      gw.gateway.lifecycle.shuttingDown = false;
    }
  });
  it("shows a cooling entry in /v1/ratelimits and in /metrics", async () => {
    upstream.route("/a/chat/completions", openaiRateLimited({ retryAfterS: 30 }));
    await postRaw(JSON.stringify({ model: "fast", ...chat }));
    const limits = (await (await call("/v1/ratelimits")).json()) as {
      data: Array<{ provider: string; status: string; cooldownUntil: number | null }>;
      chains: Array<{ name: string; activeEntry: string | null }>;
    };
    const a = limits.data.find((s) => s.provider === "a");
    expect(a?.status).toBe("cooling_down");
    expect(a?.cooldownUntil).toBeGreaterThan(Date.now() + 20_000);
    expect(limits.chains.find((c) => c.name === "fast")?.activeEntry).toBe("b/vendor/m-b:free");
    const metrics = await (await call("/metrics", { key: null })).text();
    expect(metrics).toMatch(
      /gateway_upstream_attempts_total\{provider="a",model="m-a",outcome="rate_limited"\} 1/,
    );
    expect(metrics).toMatch(/gateway_cooldowns_active 1/);
    expect(metrics).toContain("gateway_request_duration_seconds_bucket");
    await gw.gateway.quota.clearCooldown({ provider: "a", model: "m-a" });
  });
});

describe("hot reload", () => {
  it("keeps serving the old config when the new file is invalid, and swaps to a valid one", async () => {
    const before = gw.gateway.config.current().version;
    const { writeFileSync } = await import("node:fs");
    writeFileSync(gw.configPath, "version: 1\nsettings: [oops");
    expect(await gw.gateway.config.reload()).toBe(false);
    expect(gw.gateway.config.current().version).toBe(before);
    expect((await postRaw(JSON.stringify({ model: "fast", ...chat }))).status).toBe(200);

    const reordered = structuredClone(config);
    reordered.chains[0]?.entries.reverse();
    await gw.writeConfig(reordered);
    const res = await postRaw(JSON.stringify({ model: "fast", ...chat }));
    expect(res.headers.get("x-429chain-provider")).toBe("b/vendor/m-b:free");
    await gw.writeConfig(config);
  });
});
