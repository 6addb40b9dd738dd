import { completion, openaiRateLimited, waitFor } from "@429chain/testing";
import { describe, expect, it } from "vitest";
import { baseConfig, postChat, useTestGateway } from "./harness";

const A = "/a/chat/completions";

// The quickstart's gateway: no Redis, the queue lives in this process.
const t = useTestGateway((upstreamUrl) =>
  baseConfig({
    settings: { queueMode: true, queueMaxSize: 3, queueMaxWaitMs: 10_000 },
    providers: [
      {
        id: "a",
        name: "A",
        type: "openai",
        apiKey: "ka",
        baseUrl: `${upstreamUrl}/a`,
        modelRateLimits: { one: { concurrentRequests: 1 } },
      },
    ],
    chains: [
      { name: "q", entries: [{ provider: "a", model: "m" }] },
      { name: "one", entries: [{ provider: "a", model: "one" }] },
    ],
  }),
);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ask = (text: string, signal?: AbortSignal) =>
  postChat(
    t.gw.url,
    { model: "q", messages: [{ role: "user", content: text }] },
    signal ? { signal } : {},
  );

async function metrics() {
  return (await fetch(`${t.gw.url}/metrics`)).text();
}

describe("queue mode without Redis (the memory twin)", () => {
  it("serves waiters first in, first out at the reset; a full queue and a client gone leave at once", async () => {
    t.upstream.route(A, openaiRateLimited({ retryAfterS: 2, resetRequests: "2s" }));
    t.upstream.setDefault(A, completion("m", "ok"));
    const waiting = [ask("w0")];
    await t.upstream.waitForHits(A, 1);
    const controller = new AbortController();
    await sleep(50);
    const leaver = ask("leaver", controller.signal).catch(() => "aborted");
    await sleep(50);
    waiting.push(ask("w1"));
    await waitFor(async () => (await metrics()).includes('gateway_queue_depth{chain="q"} 3'));
    const full = await ask("x");
    expect(full.status).toBe(429);
    expect(Number(full.headers.get("retry-after"))).toBeLessThanOrEqual(2);

    controller.abort();
    expect(await leaver).toBe("aborted");
    await waitFor(async () => (await metrics()).includes('gateway_queue_depth{chain="q"} 2'));
    waiting.push(ask("w2"));

    expect(await Promise.all(waiting.map((p) => p.then((r) => r.status)))).toEqual([200, 200, 200]);
    const order = t.upstream
      .requests(A)
      .map((r) => (r.body as { messages: Array<{ content: string }> }).messages[0]?.content);
    expect(order).toEqual(["w0", "w0", "w1", "w2"]);
    const text = await metrics();
    expect(text).toContain('gateway_queue_wait_seconds_count{chain="q",outcome="served"} 3');
    expect(text).toContain('gateway_queue_wait_seconds_count{chain="q",outcome="gone"} 1');
  });
});

describe("a request that ends returns capacity", () => {
  it("wakes the head of the queue when a concurrency slot frees, not at a guessed time", async () => {
    t.upstream.setDefault(A, { ...completion("one", "ok"), delayMs: 300 });
    const started = Date.now();
    const statuses = await Promise.all(
      ["c0", "c1", "c2"].map((text) =>
        postChat(t.gw.url, { model: "one", messages: [{ role: "user", content: text }] }).then(
          (r) => r.status,
        ),
      ),
    );
    expect(statuses).toEqual([200, 200, 200]);
    // One at a time, each as soon as the previous one ended.
    expect(t.upstream.hits(A)).toBe(3);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
