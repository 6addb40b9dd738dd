import { connect } from "node:net";
import { completion, openrouterPricedOut, streamFrames, waitFor } from "@429chain/testing";
import { describe, expect, it } from "vitest";
import { baseConfig, postChat, TEST_KEY, useTestGateway } from "./harness";

const A = "/a/chat/completions";
const OR = "/or/chat/completions";

const t = useTestGateway((upstreamUrl) =>
  baseConfig({
    settings: {
      queueMode: true,
      queueMaxSize: 1,
      queueMaxWaitMs: 5_000,
      streamWriteTimeoutMs: 1_000,
    },
    providers: [
      {
        id: "a",
        name: "A",
        type: "openai",
        apiKey: "ka",
        baseUrl: `${upstreamUrl}/a`,
        modelRateLimits: { one: { concurrentRequests: 1 } },
      },
      { id: "b", name: "B", type: "openai", apiKey: "kb", baseUrl: `${upstreamUrl}/b` },
      { id: "or", name: "OR", type: "openrouter", apiKey: "kor", baseUrl: `${upstreamUrl}/or` },
    ],
    chains: [
      {
        name: "ab",
        entries: [
          { provider: "a", model: "m" },
          { provider: "b", model: "m" },
        ],
      },
      { name: "one", entries: [{ provider: "a", model: "one" }] },
      {
        name: "paid",
        entries: [
          { provider: "or", model: "vendor/m" },
          { provider: "b", model: "m" },
        ],
      },
    ],
  }),
);

function post(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return fetch(`${t.gw.url}/v1/chat/completions`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${TEST_KEY}`,
      "content-type": "application/json",
      ...headers,
    },
    body: JSON.stringify({ messages: [{ role: "user", content: "hi" }], ...body }),
  });
}

async function errorOf(res: Response) {
  return ((await res.json()) as { error: { code: string; param: string | null; message: string } })
    .error;
}

async function metricsText() {
  return (await fetch(`${t.gw.url}/metrics`)).text();
}

async function entryState(label: string) {
  const res = await fetch(`${t.gw.url}/v1/ratelimits`, {
    headers: { authorization: `Bearer ${TEST_KEY}` },
  });
  const body = (await res.json()) as {
    data: Array<{ provider: string; model: string; inFlight: number; status: string }>;
  };
  return body.data.find((s) => `${s.provider}/${s.model}` === label);
}

describe("what a client sends is bounded", () => {
  it("400s a model longer than 256 characters, naming the field, and calls nothing", async () => {
    const res = await post({ model: `a/${"x".repeat(8_000)}` });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: "invalid_request", param: "model" });
    expect(t.upstream.hits(A)).toBe(0);
  });

  it("400s a model holding a NUL or an unpaired surrogate", async () => {
    for (const model of ["fa\u0000st", "a/\ud800"]) {
      const res = await post({ model });
      expect(res.status).toBe(400);
      expect((await errorOf(res)).param).toBe("model");
    }
  });

  it("400s a body nested deeper than 64 levels instead of failing inside", async () => {
    const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;
    const res = await fetch(`${t.gw.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" },
      body: `{"model":"ab","messages":[{"role":"user","content":"hi"}],"x":${deep}}`,
    });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).message).toContain("deeper than 64");
  });

  it("names every request itself and keeps the client's X-Request-Id apart", async () => {
    const first = await post({ model: "ab" }, { "x-request-id": "same-id" });
    const second = await post({ model: "ab" }, { "x-request-id": "same-id" });
    const ids = [first, second].map((r) => r.headers.get("x-request-id"));
    expect(ids[0]).not.toBe(ids[1]);
    expect(ids).not.toContain("same-id");
    expect(first.headers.get("x-client-request-id")).toBe("same-id");
    expect(second.headers.get("x-client-request-id")).toBe("same-id");
  });

  it("400s a client request id that is too long or not printable", async () => {
    const res = await post({ model: "ab" }, { "x-client-request-id": "x".repeat(129) });
    expect(res.status).toBe(400);
    expect((await errorOf(res)).param).toBe("x-client-request-id");
  });

  it("counts a model the config does not name under one 'other' label", async () => {
    const model = `a/made-up-${Date.now()}`;
    expect((await post({ model })).status).toBe(200);
    const text = await metricsText();
    expect(text).not.toContain("made-up-");
    expect(text).toMatch(
      /gateway_requests_total\{api="chat",chain="other",provider="a",outcome="ok"\} \d/,
    );
    expect(text).toMatch(/gateway_upstream_attempts_total\{provider="a",model="other"/);
  });
});

describe("nothing a request does leaks quota state or poisons shared state", () => {
  it("a 402 about this request's max_tokens moves on and cools nothing", async () => {
    t.upstream.route(OR, openrouterPricedOut(), completion("vendor/m", "cheap"));
    const res = await post({ model: "paid", max_tokens: 16_384 });
    expect(res.headers.get("x-429chain-provider")).toBe("b/m");
    // The next (smaller) request goes to the OpenRouter entry again.
    const next = await post({ model: "paid", max_tokens: 100 });
    expect(next.headers.get("x-429chain-provider")).toBe("or/vendor/m");
    expect(t.upstream.hits(OR)).toBe(2);
  });

  it("cuts off a streaming client that stops reading and releases its lease", async () => {
    const big = "x".repeat(4_096);
    const frames = streamFrames(
      "one",
      Array.from({ length: 4_000 }, () => big),
    );
    t.upstream.route(A, { stream: { frames } }, completion("one", "next"));
    const body = JSON.stringify({
      model: "one",
      stream: true,
      messages: [{ role: "user", content: "hi" }],
    });
    const url = new URL(t.gw.url);
    // A raw socket that sends the request and then never reads: the kernel buffers fill up.
    const socket = connect(Number(url.port), url.hostname);
    socket.pause();
    socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${TEST_KEY}\r\n` +
        `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    await t.upstream.waitForHits(A, 1);
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    // The concurrency slot (limit 1) is released once the reader is cut off.
    await waitFor(async () => (await entryState("a/one"))?.inFlight === 0, { timeoutMs: 10_000 });
    const next = await post({ model: "one" });
    expect(next.status).toBe(200);
    socket.resume();
    await closed;
  });

  it("releases the lease of a client that disconnects while the waterfall waits", async () => {
    t.upstream.route(A, { hang: true });
    const controller = new AbortController();
    const pending = postChat(t.gw.url, { model: "one" }, { signal: controller.signal }).catch(
      () => {},
    );
    await t.upstream.waitForHits(A, 1);
    expect((await entryState("a/one"))?.inFlight).toBe(1);
    controller.abort();
    await pending;
    await waitFor(async () => (await entryState("a/one"))?.inFlight === 0, { timeoutMs: 5_000 });
  });

  it("bounds queue mode per configured chain or provider, whatever model a client names", async () => {
    // One 429 cools OpenRouter's whole account (its limits are per account) for a second.
    t.upstream.route(OR, {
      status: 429,
      headers: { "retry-after": "1" },
      body: { error: { code: 429, message: "Rate limit exceeded: free-models-per-min." } },
    });
    t.upstream.setDefault(OR, completion("m", "ok"));
    const probe = post({ model: "or/first" });
    await t.upstream.waitForHits(OR, 1);
    const results = await Promise.all([
      probe.then((r) => r.status),
      ...Array.from({ length: 3 }, (_, i) =>
        post({ model: `or/distinct-${i}` }).then((r) => r.status),
      ),
    ]);
    // One waits for the account (queueMaxSize 1 for provider or) and is served; the others
    // are told to come back instead of each getting a queue of its own.
    expect(results.sort()).toEqual([200, 429, 429, 429]);
  });
});

describe("the network edge", () => {
  it("refuses a wrong key before reading the body", async () => {
    const url = new URL(t.gw.url);
    const socket = connect(Number(url.port), url.hostname);
    let reply = "";
    socket.on("data", (d: Buffer) => {
      reply += d.toString();
    });
    // Announces a megabyte and sends none of it: only a check before the body answers.
    socket.write(
      "POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer wrong\r\n" +
        "content-type: application/json\r\ncontent-length: 1048576\r\n\r\n",
    );
    await waitFor(() => reply.includes("\r\n\r\n"), { timeoutMs: 5_000 });
    expect(reply).toMatch(/^HTTP\/1\.1 401/);
    expect(reply.toLowerCase()).toContain("connection: close");
    socket.destroy();
  });

  it("accepts Anthropic's x-api-key header as well as Bearer", async () => {
    const res = await fetch(`${t.gw.url}/v1/models`, { headers: { "x-api-key": TEST_KEY } });
    expect(res.status).toBe(200);
  });
});
