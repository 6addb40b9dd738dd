import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  completion,
  createTestRedis,
  type FakeUpstream,
  type GatewayProcess,
  openaiRateLimited,
  rateLimitHeaders,
  startFakeUpstream,
  startGatewayProcess,
  TEST_REDIS_URL,
  type TestRedis,
} from "@429chain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { baseConfig, postChat } from "./harness";

let upstream: FakeUpstream;
let redis: TestRedis;
let dir: string;
let replicas: GatewayProcess[];
const A = "/a/chat/completions";
const L = "/limited/chat/completions";
const H = "/h/chat/completions";

beforeAll(async () => {
  upstream = await startFakeUpstream();
  redis = await createTestRedis("replicas");
  dir = mkdtempSync(join(tmpdir(), "429chain-replicas-"));
  const configPath = join(dir, "config.yaml");
  const config = baseConfig({
    providers: [
      { id: "a", name: "A", type: "groq", apiKey: "ka", baseUrl: `${upstream.url}/a` },
      { id: "b", name: "B", type: "openai", apiKey: "kb", baseUrl: `${upstream.url}/b` },
      { id: "h", name: "H", type: "openai", apiKey: "kh", baseUrl: `${upstream.url}/h` },
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
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: redis.prefix,
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

describe("two gateway replicas sharing one Redis", () => {
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
    const keys: string[] = [];
    let cursor = "0";
    do {
      const [next, found] = await redis.redis.scan(cursor, "MATCH", `${redis.prefix}*`);
      cursor = next;
      keys.push(...found);
    } while (cursor !== "0");
    const mine = keys.filter((k) => k.includes("evil"));
    expect(mine.length).toBeGreaterThan(0);
    for (const key of mine) {
      // The model is one percent-encoded segment: none of its ':', '/', ' ', '*' or braces
      // reach the key, and its length is bounded by the 256-character model limit.
      expect(key).toContain(encodeURIComponent(model));
      expect(key.slice(redis.prefix.length).length).toBeLessThan(1_024);
    }
  });
});
