import {
  anthropicRateLimited,
  chainOf,
  completion,
  openaiRateLimited,
  REDIS_BACKENDS,
  rateLimitHeaders,
  scanKeys,
} from "@429chain/testing";
import { describe, expect, it } from "vitest";
import type { GatewayProcess } from "./gateway-process";
import { baseConfig, postChat, TEST_KEY } from "./harness";
import { useSharedRedisReplicas } from "./replicas";

const A = "/a/chat/completions";
const L = "/limited/chat/completions";
const H = "/h/chat/completions";

describe.each(REDIS_BACKENDS)("two gateway replicas sharing %s", (_name, redisUrl, open) => {
  const r = useSharedRedisReplicas({
    label: "replicas",
    redisUrl,
    open,
    config: (upstreamUrl) =>
      baseConfig({
        providers: [
          { id: "a", name: "A", type: "groq", apiKey: "ka", baseUrl: `${upstreamUrl}/a` },
          { id: "b", name: "B", type: "openai", apiKey: "kb", baseUrl: `${upstreamUrl}/b` },
          { id: "h", name: "H", type: "openai", apiKey: "kh", baseUrl: `${upstreamUrl}/h` },
          { id: "x", name: "X", type: "anthropic", apiKey: "kx", baseUrl: `${upstreamUrl}/x` },
          { id: "e1", name: "E1", type: "openai", apiKey: "ke1", baseUrl: `${upstreamUrl}/e1` },
          { id: "e2", name: "E2", type: "openai", apiKey: "ke2", baseUrl: `${upstreamUrl}/e2` },
          {
            id: "limited",
            name: "Limited",
            type: "generic-openai",
            apiKey: "kl",
            baseUrl: `${upstreamUrl}/limited`,
            rateLimits: { requestsPerMinute: 5 },
          },
        ],
        chains: [
          chainOf("xb", ["x/claude-up", "b/m"]),
          chainOf("emb", ["e1/v1", "e2/v2"], { kind: "embeddings" }),
          chainOf("ab", ["a/m", "b/m"]),
          chainOf("lb", ["limited/m", "b/m"]),
          chainOf("hb", ["h/m", "b/m"]),
        ],
      }),
  });

  function post(replica: GatewayProcess, model: string) {
    return postChat(replica.url, { model });
  }

  it("a 429 with Retry-After 30 seen by replica 1 stops replica 2 from calling that entry", async () => {
    const [r1, r2] = r.replicas as [GatewayProcess, GatewayProcess];
    r.upstream.route(A, openaiRateLimited({ retryAfterS: 30 }), completion("m", "a is back"));
    const first = await post(r1, "ab");
    expect(first.headers.get("x-429chain-provider")).toBe("b/m");
    expect(r.upstream.hits(A)).toBe(1);
    for (let i = 0; i < 10; i++) {
      const res = await post(r2, "ab");
      expect(res.headers.get("x-429chain-provider")).toBe("b/m");
      expect(res.headers.get("x-429chain-attempts")).toBe("1");
    }
    expect(r.upstream.hits(A)).toBe(1);
  });

  it("a burst across both replicas never overshoots a manual limit", async () => {
    const burst = Array.from({ length: 50 }, (_, i) =>
      post(r.replicas[i % 2] as GatewayProcess, "lb"),
    );
    const providers = await Promise.all(
      burst.map(async (p) => (await p).headers.get("x-429chain-provider")),
    );
    expect(r.upstream.hits(L)).toBe(5);
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
    r.upstream.route(
      H,
      completion("m", "first", undefined, oneLeft),
      completion("m", "last", undefined, noneLeft),
    );
    await post(r.replicas[0] as GatewayProcess, "hb");
    expect(r.upstream.hits(H)).toBe(1);
    const burst = Array.from({ length: 50 }, (_, i) =>
      post(r.replicas[i % 2] as GatewayProcess, "hb"),
    );
    const providers = await Promise.all(
      burst.map(async (p) => (await p).headers.get("x-429chain-provider")),
    );
    expect(r.upstream.hits(H)).toBe(2);
    expect(providers.filter((p) => p === "h/m")).toHaveLength(1);
  });

  it("keeps Redis keys built from a client's model encoded and bounded", async () => {
    const model = `evil:${"k".repeat(200)}/x y*{tag}`;
    // A 429 leaves state behind under the entry's key (cooldown, streak).
    r.upstream.route("/b/chat/completions", openaiRateLimited({ retryAfterS: 30 }));
    const res = await postChat((r.replicas[0] as GatewayProcess).url, { model: `b/${model}` });
    expect(res.status).toBe(429);
    r.upstream.reset();
    const keys = await scanKeys(r.redis.redis, r.redis.prefix);
    const mine = keys.filter((k) => k.includes("evil"));
    expect(mine.length).toBeGreaterThan(0);
    for (const key of mine) {
      // The model is one percent-encoded segment: none of its ':', '/', ' ', '*' or braces
      // reach the key, and its length is bounded by the 256-character model limit.
      expect(key).toContain(encodeURIComponent(model));
      expect(key.slice(r.redis.prefix.length).length).toBeLessThan(1_024);
    }
  });

  it("messages, responses and embeddings: a 429 seen by replica 1 stops replica 2 calling that entry", async () => {
    const [r1, r2] = r.replicas as [GatewayProcess, GatewayProcess];
    const call = (r: GatewayProcess, path: string, body: object) =>
      fetch(`${r.url}${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const messages = { model: "xb", max_tokens: 10, messages: [{ role: "user", content: "hi" }] };
    r.upstream.route("/x/v1/messages", anthropicRateLimited({ retryAfterS: 60 }));
    const m1 = await call(r1, "/v1/messages", messages);
    expect(m1.headers.get("x-429chain-provider")).toBe("b/m");
    const m2 = await call(r2, "/v1/messages", messages);
    expect(m2.headers.get("x-429chain-provider")).toBe("b/m");
    expect(r.upstream.hits("/x/v1/messages")).toBe(1);
    const r2Responses = await call(r2, "/v1/responses", { model: "xb", input: "hi" });
    expect(r2Responses.headers.get("x-429chain-provider")).toBe("b/m");
    expect(r.upstream.hits("/x/v1/messages")).toBe(1);

    r.upstream.route("/e1/embeddings", openaiRateLimited({ retryAfterS: 60 }));
    const e1 = await call(r1, "/v1/embeddings", { model: "emb", input: "x" });
    expect(e1.headers.get("x-429chain-provider")).toBe("e2/v2");
    const e2 = await call(r2, "/v1/embeddings", { model: "emb", input: "y" });
    expect(e2.headers.get("x-429chain-provider")).toBe("e2/v2");
    expect(r.upstream.hits("/e1/embeddings")).toBe(1);
  });
});
