import {
  chainOf,
  completion,
  rateLimitHeaders,
  serverError,
  streamed,
  waitFor,
} from "@429chain/testing";
import { describe, expect, it } from "vitest";
import { baseConfig, postChat, TEST_KEY, useTestGateway } from "./harness";

const A = "/a/chat/completions";
const B = "/b/chat/completions";
const C = "/c/chat/completions";

const t = useTestGateway((upstreamUrl) =>
  baseConfig({
    settings: { circuitBreakerThreshold: 2, requestTimeoutMs: 1000, streamIdleTimeoutMs: 1000 },
    providers: [
      { id: "a", name: "A", type: "openai", apiKey: "ka", baseUrl: `${upstreamUrl}/a` },
      { id: "b", name: "B", type: "openai", apiKey: "kb", baseUrl: `${upstreamUrl}/b` },
      {
        id: "c",
        name: "C",
        type: "generic-openai",
        apiKey: "kc",
        baseUrl: `${upstreamUrl}/c`,
        rateLimits: { requestsPerMinute: 2 },
      },
    ],
    chains: [chainOf("ab", ["a/m", "b/m"]), chainOf("cb", ["c/m", "b/m"])],
  }),
);

async function entryState(label: string) {
  const res = await fetch(`${t.gw.url}/v1/ratelimits`, {
    headers: { authorization: `Bearer ${TEST_KEY}` },
  });
  const body = (await res.json()) as {
    data: Array<{ provider: string; model: string; inFlight: number; consecutiveFailures: number }>;
  };
  return body.data.find((s) => `${s.provider}/${s.model}` === label);
}

function post(model: string, extra: Record<string, unknown> = {}, signal?: AbortSignal) {
  return postChat(t.gw.url, { model, ...extra }, signal ? { signal } : {});
}

describe("waterfall", () => {
  it("moves on when the first entry is slower than its timeout", async () => {
    t.upstream.route(A, { ...completion("m", "late"), delayMs: 3000 });
    const res = await post("ab");
    expect(res.headers.get("x-429chain-provider")).toBe("b/m");
    expect(res.status).toBe(200);
  });

  it("opens the circuit after N consecutive failures and stops calling the entry", async () => {
    t.upstream.route(A, serverError(500));
    await post("ab");
    await post("ab");
    expect(t.upstream.hits(A)).toBe(2);
    const res = await post("ab");
    expect(res.headers.get("x-429chain-provider")).toBe("b/m");
    expect(t.upstream.hits(A)).toBe(2);
  });

  it("skips an entry whose headers reported 0 remaining, until the window resets", async () => {
    t.upstream.route(
      A,
      completion(
        "m",
        "last one",
        undefined,
        rateLimitHeaders({ remainingRequests: 0, limitRequests: 60, resetRequests: "30s" }),
      ),
    );
    expect((await post("ab")).headers.get("x-429chain-provider")).toBe("a/m");
    expect((await post("ab")).headers.get("x-429chain-provider")).toBe("b/m");
    expect(t.upstream.hits(A)).toBe(1);
  });

  it("tracks the rate-limit headers of a streamed answer too", async () => {
    const headers = rateLimitHeaders({
      remainingRequests: 0,
      limitRequests: 60,
      resetRequests: "30s",
    });
    t.upstream.route(A, streamed("m", ["last"], { headers }));
    expect(await (await post("ab", { stream: true })).text()).toContain("last");
    expect((await post("ab")).headers.get("x-429chain-provider")).toBe("b/m");
    expect(t.upstream.hits(A)).toBe(1);
  });

  it("enforces a manual requestsPerMinute limit", async () => {
    const served = [];
    for (let i = 0; i < 3; i++) served.push((await post("cb")).headers.get("x-429chain-provider"));
    expect(served).toEqual(["c/m", "c/m", "b/m"]);
    expect(t.upstream.hits(C)).toBe(2);
  });

  it("aborts the upstream call when the client disconnects, without blaming the entry", async () => {
    t.upstream.route(A, { hang: true });
    const controller = new AbortController();
    const pending = post("ab", {}, controller.signal).catch((e: unknown) => e);
    await t.upstream.waitForHits(A, 1);
    controller.abort();
    await pending;
    // The lease is released and no failure counts (an attempt that ran into its timeout
    // instead would count one).
    await waitFor(async () => (await entryState("a/m"))?.inFlight === 0, { timeoutMs: 5_000 });
    expect((await entryState("a/m"))?.consecutiveFailures).toBe(0);
    t.upstream.reset();
    expect((await post("ab")).headers.get("x-429chain-provider")).toBe("a/m");
    expect(t.upstream.hits(B)).toBe(0);
  });

  it("moves on when a stream goes idle before its first token", async () => {
    t.upstream.route(A, { stream: { frames: [": waiting\n\n"], hangAfter: 1 } });
    t.upstream.route(B, streamed("m", ["fine"]));
    const res = await post("ab", { stream: true });
    expect(res.headers.get("x-429chain-provider")).toBe("b/m");
    expect(await res.text()).toContain("fine");
  });
});
