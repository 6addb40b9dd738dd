import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  anthropicRateLimited,
  completion,
  type FakeUpstream,
  openaiRateLimited,
  REDIS_BACKENDS,
  rateLimitHeaders,
  scanKeys,
  startFakeUpstream,
  type TestRedis,
} from "@429chain/testing";
import type { Cluster, Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayProcess, startGatewayProcess } from "./gateway-process";
import { baseConfig, postChat, TEST_KEY } from "./harness";

const A = "/a/chat/completions";
const L = "/limited/chat/completions";
const H = "/h/chat/completions";

describe.each(REDIS_BACKENDS)("two gateway replicas sharing %s", (_name, redisUrl, open) => {
  let upstream: FakeUpstream;
  let redis: TestRedis<Redis | Cluster>;
  let dir: string;
  let replicas: GatewayProcess[];

  beforeAll(async () => {
    upstream = await startFakeUpstream();
    redis = await open("replicas");
    dir = mkdtempSync(join(tmpdir(), "429chain-replicas-"));
    const configPath = join(dir, "config.yaml");
    const config = baseConfig({
      providers: [
        { id: "a", name: "A", type: "groq", apiKey: "ka", baseUrl: `${upstream.url}/a` },
        { id: "b", name: "B", type: "openai", apiKey: "kb", baseUrl: `${upstream.url}/b` },
        { id: "h", name: "H", type: "openai", apiKey: "kh", baseUrl: `${upstream.url}/h` },
        { id: "x", name: "X", type: "anthropic", apiKey: "kx", baseUrl: `${upstream.url}/x` },
        { id: "e1", name: "E1", type: "openai", apiKey: "ke1", baseUrl: `${upstream.url}/e1` },
        { id: "e2", name: "E2", type: "openai", apiKey: "ke2", baseUrl: `${upstream.url}/e2` },
        {
          id: "limited",
          name: "Limited",
          type: "generic-openai",
          apiKey: "kl",
          baseUrl: `${upstream.url}/limited`,
          rateLimits: { requestsPerMinute: 5 },
        },
      ],
      chains: [
        {
          name: "xb",
          entries: [
            { provider: "x", model: "claude-up" },
            { provider: "b", model: "m" },
          ],
        },
        {
          name: "emb",
          kind: "embeddings",
          entries: [
            { provider: "e1", model: "v1" },
            { provider: "e2", model: "v2" },
          ],
        },
        {
          name: "ab",
          entries: [
            { provider: "a", model: "m" },
            { provider: "b", model: "m" },
          ],
        },
        {
          name: "lb",
          entries: [
            { provider: "limited", model: "m" },
            { provider: "b", model: "m" },
          ],
        },
        {
          name: "hb",
          entries: [
            { provider: "h", model: "m" },
            { provider: "b", model: "m" },
          ],
        },
      ],
    });
    writeFileSync(configPath, JSON.stringify(config));
    const env = {
      CONFIG_PATH: configPath,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: redis.prefix,
      // Shared state is what these tests check: a loaded test machine must not push a replica
      // onto its local fallback.
      REDIS_COMMAND_TIMEOUT_MS: "3000",
      LOG_LEVEL: "warn",
    };
    replicas = await Promise.all([
      startGatewayProcess({ env: { ...env, REPLICA_ID: "r1" } }),
      startGatewayProcess({ env: { ...env, REPLICA_ID: "r2" } }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all((replicas ?? []).map((r) => r.stop()));
    await upstream?.close();
    await redis?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function post(replica: GatewayProcess, model: string) {
    return postChat(replica.url, { model });
  }

  it("a 429 with Retry-After 30 seen by replica 1 stops replica 2 from calling that entry", async () => {
    const [r1, r2] = replicas as [GatewayProcess, GatewayProcess];
    upstream.route(A, openaiRateLimited({ retryAfterS: 30 }), completion("m", "a is back"));
    const first = await post(r1, "ab");
    expect(first.headers.get("x-429chain-provider")).toBe("b/m");
    expect(upstream.hits(A)).toBe(1);
    for (let i = 0; i < 10; i++) {
      const res = await post(r2, "ab");
      expect(res.headers.get("x-429chain-provider")).toBe("b/m");
      expect(res.headers.get("x-429chain-attempts")).toBe("1");
    }
    expect(upstream.hits(A)).toBe(1);
  });

  it("a burst across both replicas never overshoots a manual limit", async () => {
    const burst = Array.from({ length: 50 }, (_, i) =>
      post(replicas[i % 2] as GatewayProcess, "lb"),
    );
    const providers = await Promise.all(
      burst.map(async (p) => (await p).headers.get("x-429chain-provider")),
    );
    expect(upstream.hits(L)).toBe(5);
    expect(providers.filter((p) => p === "limited/m")).toHaveLength(5);
    expect(providers.filter((p) => p === "b/m")).toHaveLength(45);
  });

  it("with one request left in the upstream's own window, 50 concurrent requests send exactly one", async () => {
    const oneLeft = rateLimitHeaders({
      limitRequests: 100,
      remainingRequests: 1,
      resetRequests: "60s",
    });
    // The upstream counts like a real one: the answer after the last request says 0 are left.
    const noneLeft = rateLimitHeaders({
      limitRequests: 100,
      remainingRequests: 0,
      resetRequests: "60s",
    });
    upstream.route(
      H,
      completion("m", "first", undefined, oneLeft),
      completion("m", "last", undefined, noneLeft),
    );
    await post(replicas[0] as GatewayProcess, "hb");
    expect(upstream.hits(H)).toBe(1);
    const burst = Array.from({ length: 50 }, (_, i) =>
      post(replicas[i % 2] as GatewayProcess, "hb"),
    );
    const providers = await Promise.all(
      burst.map(async (p) => (await p).headers.get("x-429chain-provider")),
    );
    expect(upstream.hits(H)).toBe(2);
    expect(providers.filter((p) => p === "h/m")).toHaveLength(1);
  });

  it("keeps Redis keys built from a client's model encoded and bounded", async () => {
    const model = `evil:${"k".repeat(200)}/x y*{tag}`;
    // A 429 leaves state behind under the entry's key (cooldown, streak).
    upstream.route("/b/chat/completions", openaiRateLimited({ retryAfterS: 30 }));
    const res = await postChat((replicas[0] as GatewayProcess).url, { model: `b/${model}` });
    expect(res.status).toBe(429);
    upstream.reset();
    const keys = await scanKeys(redis.redis, redis.prefix);
    const mine = keys.filter((k) => k.includes("evil"));
    expect(mine.length).toBeGreaterThan(0);
    for (const key of mine) {
      // The model is one percent-encoded segment: none of its ':', '/', ' ', '*' or braces
      // reach the key, and its length is bounded by the 256-character model limit.
      expect(key).toContain(encodeURIComponent(model));
      expect(key.slice(redis.prefix.length).length).toBeLessThan(1_024);
    }
  });

  it("messages, responses and embeddings: a 429 seen by replica 1 stops replica 2 calling that entry", async () => {
    const [r1, r2] = replicas as [GatewayProcess, GatewayProcess];
    const call = (r: GatewayProcess, path: string, body: object) =>
      fetch(`${r.url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const messages = { model: "xb", max_tokens: 10, messages: [{ role: "user", content: "hi" }] };
    upstream.route("/x/v1/messages", anthropicRateLimited({ retryAfterS: 60 }));
    const m1 = await call(r1, "/v1/messages", messages);
    expect(m1.headers.get("x-429chain-provider")).toBe("b/m");
    const m2 = await call(r2, "/v1/messages", messages);
    expect(m2.headers.get("x-429chain-provider")).toBe("b/m");
    expect(upstream.hits("/x/v1/messages")).toBe(1);
    const r2Responses = await call(r2, "/v1/responses", { model: "xb", input: "hi" });
    expect(r2Responses.headers.get("x-429chain-provider")).toBe("b/m");
    expect(upstream.hits("/x/v1/messages")).toBe(1);

    upstream.route("/e1/embeddings", openaiRateLimited({ retryAfterS: 60 }));
    const e1 = await call(r1, "/v1/embeddings", { model: "emb", input: "x" });
    expect(e1.headers.get("x-429chain-provider")).toBe("e2/v2");
    const e2 = await call(r2, "/v1/embeddings", { model: "emb", input: "y" });
    expect(e2.headers.get("x-429chain-provider")).toBe("e2/v2");
    expect(upstream.hits("/e1/embeddings")).toBe(1);
  });
});
