import {
  completion,
  createTestRedis,
  type FakeUpstream,
  openaiRateLimited,
  startFakeUpstream,
  streamed,
  TEST_REDIS_URL,
  type TestRedis,
  waitFor,
} from "@429chain/testing";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type GatewayProcess, startGatewayProcess } from "./gateway-process";
import { baseConfig, postChat, TEST_KEY, writeTempConfig } from "./harness";

const CHAINS = ["fifo", "gone", "patience", "stream", "drain"] as const;
const pathOf = (chain: string) => `/${chain}/chat/completions`;

let upstream: FakeUpstream;
let redis: TestRedis;
let config: { path: string; remove(): void };
let r1: GatewayProcess;
let r2: GatewayProcess;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  redis = await createTestRedis("queue-replicas");
  config = writeTempConfig(
    baseConfig({
      settings: { queueMode: true, queueMaxSize: 4, queueMaxWaitMs: 10_000 },
      // One provider per chain, so each test's cooldown is its own.
      providers: CHAINS.map((id) => ({
        id,
        name: id,
        type: "openai" as const,
        apiKey: `k-${id}`,
        baseUrl: `${upstream.url}/${id}`,
      })),
      chains: CHAINS.map((name) => ({ name, entries: [{ provider: name, model: "m" }] })),
    }),
    "queue-replicas",
  );
  const env = {
    CONFIG_PATH: config.path,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: redis.prefix,
    LOG_LEVEL: "warn",
  };
  [r1, r2] = (await Promise.all(
    ["r1", "r2"].map((id) => startGatewayProcess({ env: { ...env, REPLICA_ID: id } })),
  )) as [GatewayProcess, GatewayProcess];
}, 60_000);

afterEach(() => upstream.reset());

afterAll(async () => {
  await Promise.all([r1, r2].map((r) => r?.stop()));
  await upstream?.close();
  await redis?.cleanup();
  config?.remove();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ask(replica: GatewayProcess, chain: string, text: string, signal?: AbortSignal) {
  return postChat(
    replica.url,
    { model: chain, messages: [{ role: "user", content: text }] },
    signal ? { signal } : {},
  );
}

/** The chain's queue as the ledger reports it (read through either replica). */
async function queueOf(replica: GatewayProcess, chain: string) {
  const res = await fetch(`${replica.url}/v1/quota`, {
    headers: { authorization: `Bearer ${TEST_KEY}` },
  });
  const body = (await res.json()) as {
    chains: Array<{ name: string; queue?: { depth: number; oldestWaitMs: number | null } }>;
  };
  return body.chains.find((c) => c.name === chain)?.queue;
}

/** x-429chain-queue of a request served after waiting. */
function queuePlace(header: string | null) {
  const field = (name: string) => Number(new RegExp(`${name}=(\\d+)`).exec(header ?? "")?.[1]);
  return { ticket: field("ticket"), joinedAt: field("joined-at"), waitMs: field("wait-ms") };
}

/** What the upstream was asked, in arrival order. */
function served(chain: string): string[] {
  return upstream.requests(pathOf(chain)).map((r) => {
    const body = r.body as { messages: Array<{ content: string }> };
    return body.messages[0]?.content ?? "";
  });
}

describe("queue mode across two gateway processes sharing Redis", () => {
  it("serves waiters of both replicas first in, first out at the reset, bounded globally, without polling the upstream", async () => {
    const path = pathOf("fifo");
    upstream.route(path, openaiRateLimited({ retryAfterS: 2, resetRequests: "2s" }));
    upstream.setDefault(path, completion("m", "ok"));
    // The first learns of the limit (one upstream call) and heads the queue.
    const waiting = [ask(r1, "fifo", "w0")];
    await upstream.waitForHits(path, 1);
    for (let i = 1; i < 4; i++) {
      await sleep(100);
      waiting.push(ask(i % 2 ? r2 : r1, "fifo", `w${i}`));
    }
    await waitFor(async () => (await queueOf(r2, "fifo"))?.depth === 4, { timeoutMs: 5_000 });
    // The queue holds four in all, whichever replica a fifth and sixth arrive at.
    const [full1, full2] = await Promise.all([ask(r1, "fifo", "x1"), ask(r2, "fifo", "x2")]);
    for (const res of [full1, full2]) {
      expect(res.status).toBe(429);
      const retryAfter = Number(res.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(2);
    }
    const answers = await Promise.all(waiting);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    // One call that hit the limit, then one per waiter: nobody polled.
    expect(upstream.hits(path)).toBe(5);
    expect(served("fifo").sort()).toEqual(["w0", "w0", "w1", "w2", "w3"]);
    // Each was given its lease in the order it arrived, whichever replica held it.
    const places = answers.map((r) => queuePlace(r.headers.get("x-429chain-queue")));
    expect(places.map((p) => p.ticket)).toEqual(
      [...places.map((p) => p.ticket)].sort((a, b) => a - b),
    );
    const leasedAt = places.map((p) => p.joinedAt + p.waitMs);
    expect(leasedAt).toEqual([...leasedAt].sort((a, b) => a - b));
    // Nobody ran before the reset, two seconds after the first refusal.
    expect(Math.min(...places.map((p) => p.waitMs))).toBeGreaterThan(1_500);
    expect((await queueOf(r1, "fifo"))?.depth).toBe(0);
  });

  it("drops a waiter whose client disconnected at once", async () => {
    const path = pathOf("gone");
    upstream.route(path, openaiRateLimited({ retryAfterS: 3, resetRequests: "3s" }));
    upstream.setDefault(path, completion("m", "ok"));
    const head = ask(r1, "gone", "head");
    await upstream.waitForHits(path, 1);
    await sleep(100);
    const controller = new AbortController();
    const leaving = ask(r2, "gone", "leaver", controller.signal).catch(() => "aborted");
    await waitFor(async () => (await queueOf(r1, "gone"))?.depth === 2, { timeoutMs: 5_000 });
    controller.abort();
    expect(await leaving).toBe("aborted");
    await waitFor(async () => (await queueOf(r1, "gone"))?.depth === 1, { timeoutMs: 1_000 });
    expect((await head).status).toBe(200);
    expect(served("gone")).toEqual(["head", "head"]);
  });

  it("answers 429 with the exact Retry-After when the reset is beyond the wait allowed", async () => {
    const path = pathOf("patience");
    upstream.route(path, openaiRateLimited({ retryAfterS: 30, resetRequests: "30s" }));
    const started = Date.now();
    const res = await ask(r2, "patience", "p");
    expect(res.status).toBe(429);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(29);
    expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(30);
    // Known now on every replica: the other refuses at once, with no upstream call.
    const again = await ask(r1, "patience", "p2");
    expect(again.status).toBe(429);
    expect(Number(again.headers.get("retry-after"))).toBeGreaterThanOrEqual(28);
    expect(upstream.hits(path)).toBe(1);
  });

  it("sends a waiting streaming client its headers and ': queued' comments, then the stream", async () => {
    const path = pathOf("stream");
    upstream.route(path, openaiRateLimited({ retryAfterS: 2, resetRequests: "2s" }));
    upstream.setDefault(path, streamed("m", ["after", " the wait"]));
    const res = await postChat(r1.url, { model: "stream", stream: true });
    // Headers arrive while the request still waits for the reset.
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toBe(": queued\n\n");
    let rest = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      rest += new TextDecoder().decode(value);
    }
    expect(rest).toContain("after");
    expect(rest).toContain("data: [DONE]");
    expect(upstream.hits(path)).toBe(2);
  });

  // Last: it stops r2.
  it("answers its waiters with 429 and Retry-After when a replica shuts down, leaving the queue", async () => {
    const path = pathOf("drain");
    upstream.route(path, openaiRateLimited({ retryAfterS: 8, resetRequests: "8s" }));
    const waiter = ask(r2, "drain", "d");
    await waitFor(async () => (await queueOf(r1, "drain"))?.depth === 1, { timeoutMs: 5_000 });
    const started = Date.now();
    const stopped = r2.stop();
    const res = await waiter;
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(await stopped).toBe(0);
    expect((await queueOf(r1, "drain"))?.depth).toBe(0);
  });
});
