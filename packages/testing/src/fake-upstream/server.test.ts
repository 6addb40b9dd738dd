import OpenAI from "openai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { completion, sseFrame, streamFrames } from "./chat";
import { groqRateLimited } from "./openai-family-errors";
import { startFakeUpstream } from "./server";
import type { FakeUpstream } from "./types";

let upstream: FakeUpstream;

beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(() => upstream.close());
beforeEach(() => upstream.reset());

function post(path: string, body: unknown = { model: "m", messages: [] }) {
  return fetch(`${upstream.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer k" },
    body: JSON.stringify(body),
  });
}

async function readChunks(res: Response): Promise<string[]> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const chunks: string[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

describe("fake upstream", () => {
  it("answers queued responses per path in order and repeats the last", async () => {
    upstream.route("/groq/chat/completions", groqRateLimited(), completion("a", "one"));
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post("/groq/chat/completions")).status);
    expect(statuses).toEqual([429, 200, 200]);
    expect((await post("/other/chat/completions")).status).toBe(200);
    expect(upstream.hits("/groq/chat/completions")).toBe(3);
    expect(upstream.hits("/other/chat/completions")).toBe(1);
  });

  it("falls back to the default once the queue is used up", async () => {
    upstream.route("/p/chat/completions", { status: 500 });
    upstream.setDefault("/p/chat/completions", { status: 503 });
    const first = await post("/p/chat/completions");
    const second = await post("/p/chat/completions");
    expect([first.status, second.status]).toEqual([500, 503]);
  });

  it("records method, lower-cased headers and the parsed body", async () => {
    await post("/p/chat/completions", { model: "x", messages: [{ role: "user", content: "hi" }] });
    const [req] = upstream.requests("/p/chat/completions");
    expect(req?.method).toBe("POST");
    expect(req?.headers.authorization).toBe("Bearer k");
    expect(req?.body).toMatchObject({ model: "x" });
  });

  it("sends raw string bodies as given", async () => {
    upstream.route("/p", { status: 502, headers: { "content-type": "text/html" }, body: "<h1>x" });
    const res = await post("/p");
    expect(res.headers.get("content-type")).toBe("text/html");
    expect(await res.text()).toBe("<h1>x");
  });

  it("answers unprogrammed paths with valid completions and streams (OpenAI SDK)", async () => {
    const client = new OpenAI({ apiKey: "k", baseURL: `${upstream.url}/any`, maxRetries: 0 });
    const messages = [{ role: "user" as const, content: "hi" }];
    const res = await client.chat.completions.create({ model: "echo-me", messages });
    expect(res.model).toBe("echo-me");
    expect(res.choices[0]?.message.content).toBeTruthy();
    const stream = await client.chat.completions.create({
      model: "echo-stream",
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      usage = chunk.usage ?? usage;
    }
    expect(text).toBe("Hello from the fake upstream.");
    expect(usage).toMatchObject({ total_tokens: expect.any(Number) });
  });

  it("writes stream frames exactly as given", async () => {
    const frames = ['data:{"a":1}\r\n\r\n', ": comment\n\n", "event: error\ndata: x\ndata: y\n\n"];
    upstream.route("/s", { stream: { frames } });
    const res = await post("/s");
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expect((await readChunks(res)).join("")).toBe(frames.join(""));
  });

  it("drops [DONE] with noDone", async () => {
    upstream.route("/s", { stream: { frames: streamFrames("m", ["a"]), noDone: true } });
    expect((await readChunks(await post("/s"))).join("")).not.toContain("[DONE]");
  });

  it("destroys the socket mid-stream with cutAfter", async () => {
    const frames = streamFrames("m", ["a", "b", "c"]);
    upstream.route("/s", { stream: { frames, cutAfter: 2 } });
    const res = await post("/s");
    const received: string[] = [];
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const failure = await (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return undefined;
        received.push(value);
      }
    })().catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(Error);
    expect(received.join("")).toBe(frames.slice(0, 2).join(""));
  });

  it("keeps the socket open without writing after hangAfter", async () => {
    upstream.route("/s", {
      stream: { frames: [sseFrame({ a: 1 }), sseFrame({ b: 2 })], hangAfter: 1 },
    });
    const ac = new AbortController();
    const res = await fetch(`${upstream.url}/s`, { method: "POST", signal: ac.signal });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    expect((await reader.read()).value).toBe(sseFrame({ a: 1 }));
    let settled = false;
    const next = reader.read().finally(() => {
      settled = true;
    });
    // A full round trip on another path gives an ended stream time to show up first.
    await post("/other");
    expect(settled).toBe(false);
    ac.abort();
    await expect(next).rejects.toThrow();
  });

  it("delays the first byte by delayMs", async () => {
    upstream.route("/slow", { delayMs: 80, body: { who: "slow" } });
    upstream.route("/fast", { body: { who: "fast" } });
    const order: string[] = [];
    const slow = post("/slow").then(() => order.push("slow"));
    await upstream.waitForHits("/slow", 1);
    await post("/fast").then(() => order.push("fast"));
    await slow;
    expect(order).toEqual(["fast", "slow"]);
  });

  it("drops the connection with destroy", async () => {
    upstream.route("/d", { destroy: true });
    await expect(post("/d")).rejects.toThrow();
    expect(upstream.hits("/d")).toBe(1);
  });

  it("writes a repeated body of the announced length with repeat", async () => {
    const times = 5 * 1024 * 1024;
    upstream.route("/big", { repeat: { head: '{"x":"', chunk: "ab", times, tail: '"}' } });
    const res = await post("/big");
    const length = 6 + 2 * times + 2;
    expect(res.headers.get("content-length")).toBe(String(length));
    const text = await res.text();
    expect(text).toHaveLength(length);
    expect(text.startsWith('{"x":"abab')).toBe(true);
    expect(text.endsWith('ab"}')).toBe(true);
  });

  it("writes an endless body with repeat times Infinity until the client goes away", async () => {
    upstream.route("/endless", {
      headers: { "content-type": "text/event-stream" },
      repeat: { head: "data: ", chunk: "x", times: Number.POSITIVE_INFINITY },
    });
    const ac = new AbortController();
    const res = await fetch(`${upstream.url}/endless`, { method: "POST", signal: ac.signal });
    expect(res.headers.get("content-length")).toBeNull();
    const reader = res.body!.getReader();
    let bytes = 0;
    while (bytes < 4 * 1024 * 1024) bytes += (await reader.read()).value?.length ?? 0;
    ac.abort();
    await expect(reader.read()).rejects.toThrow();
    // Writing an endless body does not starve the fake: it still answers other requests.
    expect((await post("/after")).status).toBe(200);
  });

  it("calls request hooks and waits for hits by event", async () => {
    const seen: string[] = [];
    upstream.onRequest((req) => seen.push(req.path));
    await Promise.all([upstream.waitForHits("/h", 2), post("/h"), post("/h")]);
    expect(seen).toEqual(["/h", "/h"]);
  });
});

describe("close()", () => {
  it("resolves while connections are hanging and mid-stream", async () => {
    const fake = await startFakeUpstream();
    fake.route("/hang", { hang: true });
    fake.route("/stuck", { stream: { frames: [sseFrame({ a: 1 })], hangAfter: 1 } });
    fake.route("/later", { delayMs: 60_000 });
    const hanging = fetch(`${fake.url}/hang`, { method: "POST" }).catch((e: unknown) => e);
    const later = fetch(`${fake.url}/later`, { method: "POST" }).catch((e: unknown) => e);
    const stuck = await fetch(`${fake.url}/stuck`, { method: "POST" });
    await Promise.all([fake.waitForHits("/hang", 1), fake.waitForHits("/later", 1)]);
    await fake.close();
    expect(await hanging).toBeInstanceOf(Error);
    expect(await later).toBeInstanceOf(Error);
    await expect(readChunks(stuck)).rejects.toThrow();
  });
});
