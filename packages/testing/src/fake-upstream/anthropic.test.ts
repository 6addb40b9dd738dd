import type { TokenUsage } from "@429chain/contracts";
import {
  getProviderAdapter,
  mergeStreamUsage,
  SseParser,
  type StreamSignal,
} from "@429chain/providers";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fakeAnthropicTokenCount } from "./anthropic-echo";
import {
  anthropicErrorFrame,
  anthropicLowCredit,
  anthropicOverloaded,
  anthropicRateLimited,
  anthropicStreamError,
} from "./anthropic-errors";
import { anthropicMessage, anthropicToolUse } from "./anthropic-message";
import { anthropicStreamed } from "./anthropic-stream";
import { startFakeUpstream } from "./server";
import type { FakeResponse, FakeUpstream } from "./types";

// The real adapter is the judge of whether the fake speaks Anthropic.
const adapter = getProviderAdapter("anthropic");
const MESSAGES = "/anthropic/v1/messages";

let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream();
});
afterAll(() => upstream.close());
beforeEach(() => upstream.reset());

function post(path: string, body: unknown) {
  return fetch(`${upstream.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": "k" },
    body: JSON.stringify(body),
  });
}

async function classify(res: Response) {
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const now = Date.now();
  const answer = { status: res.status, headers, body: await res.text(), now };
  return {
    outcome: adapter.classifyResponse(answer),
    windows: adapter.parseRateLimitHeaders(headers, now),
    body: answer.body,
  };
}

async function signalsOf(res: Response): Promise<StreamSignal[]> {
  const parser = new SseParser();
  const events = [...parser.push(await res.text()), ...parser.end()];
  return events.map((e) => adapter.classifyStreamEvent(e, Date.now()));
}

// The only answer of the path (a queued answer would repeat until the next one is used).
const programmed = async (response: FakeResponse, body: unknown = {}) => {
  upstream.reset();
  upstream.route(MESSAGES, response);
  return post(MESSAGES, body);
};

const chunkEvents = (signals: StreamSignal[]) =>
  signals.map((s) => (s.kind === "chunk" ? s.event : s.kind));

describe("fake upstream speaking Anthropic on unprogrammed paths", () => {
  const request = {
    model: "claude-echo",
    max_tokens: 16,
    system: "Be brief.",
    messages: [{ role: "user", content: [{ type: "text", text: "Hello there, Claude" }] }],
  };

  it("answers a message echoing the model, prompt usage from the token count", async () => {
    const { outcome, body } = await classify(await post(MESSAGES, request));
    expect(outcome).toEqual({ kind: "ok" });
    expect(JSON.parse(body)).toMatchObject({
      type: "message",
      role: "assistant",
      model: "claude-echo",
      content: [{ type: "text", text: "Hello from the fake upstream." }],
      stop_reason: "end_turn",
      usage: { input_tokens: 7, output_tokens: 5 },
    });
  });

  it("streams a real event sequence when asked, usage included", async () => {
    const signals = await signalsOf(await post(MESSAGES, { ...request, stream: true }));
    expect(chunkEvents(signals)).toEqual([
      "message_start",
      "ignore",
      "content_block_start",
      "content_block_delta",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "done",
    ]);
    let usage: TokenUsage | undefined;
    let text = "";
    for (const s of signals) {
      if (s.kind !== "chunk") continue;
      if (s.usage) usage = mergeStreamUsage(usage, s.usage);
      const delta = s.json.delta as { text?: string } | undefined;
      text += delta?.text ?? "";
    }
    expect(text).toBe("Hello from the fake upstream.");
    expect(usage).toEqual({
      promptTokens: 7,
      completionTokens: 5,
      totalTokens: 12,
      estimated: false,
    });
  });

  it("counts tokens as ⌈characters / 4⌉ of the system prompt and messages", async () => {
    // "Be brief." (9) + "Hello there, Claude" (19) + '{"a":1}' (7) + "sunny" (5) = 40 → 10.
    const body = {
      ...request,
      messages: [
        ...request.messages,
        { role: "assistant", content: [{ type: "tool_use", id: "t", name: "f", input: { a: 1 } }] },
        {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: "t", content: "sunny" }],
        },
      ],
    };
    const res = await post("/anthropic/v1/messages/count_tokens", body);
    expect(await res.json()).toEqual({ input_tokens: 10 });
    expect(fakeAnthropicTokenCount({})).toBe(1);
  });

  it("still answers chat completions elsewhere", async () => {
    const res = await post("/openai/chat/completions", { model: "m", messages: [] });
    expect(await res.json()).toMatchObject({ object: "chat.completion", model: "m" });
  });
});

describe("Anthropic answer helpers, read by the real adapter", () => {
  it("anthropicMessage and anthropicToolUse are messages the adapter serves", async () => {
    const text = await classify(await programmed(anthropicMessage("c", "Hi")));
    expect(text.outcome).toEqual({ kind: "ok" });
    const tool = { id: "toolu_1", name: "get_weather", input: { city: "Paris" } };
    const called = await classify(await programmed(anthropicToolUse("c", tool)));
    expect(called.outcome).toEqual({ kind: "ok" });
    expect(JSON.parse(called.body)).toMatchObject({
      stop_reason: "tool_use",
      content: [{ type: "tool_use", ...tool }],
    });
  });

  it("anthropicStreamed streams tool input as partial JSON and thinking with a signature", async () => {
    const blocks = [
      { type: "thinking" as const, thinking: "The user wants weather.", signature: "EqQBsig" },
      { type: "text" as const, text: "Let me check." },
      { type: "tool_use" as const, id: "toolu_1", name: "get_weather", input: { city: "Paris" } },
    ];
    const signals = await signalsOf(await programmed(anthropicStreamed("c", blocks)));
    const deltas = signals.flatMap((s) =>
      s.kind === "chunk" && s.event === "content_block_delta"
        ? [s.json.delta as Record<string, string>]
        : [],
    );
    expect(deltas.map((d) => d.type)).toEqual([
      "thinking_delta",
      "signature_delta",
      "text_delta",
      "input_json_delta",
      "input_json_delta",
    ]);
    const json = deltas.filter((d) => d.type === "input_json_delta").map((d) => d.partial_json);
    expect(json.every((part) => (part ?? "").length > 0)).toBe(true);
    expect(JSON.parse(json.join(""))).toEqual({ city: "Paris" });
    expect(deltas[1]?.signature).toBe("EqQBsig");
    const messageDelta = signals.find((s) => s.kind === "chunk" && s.event === "message_delta");
    expect(messageDelta).toMatchObject({ json: { delta: { stop_reason: "tool_use" } } });
    expect(signals.at(-1)).toMatchObject({ kind: "done" });
  });

  it("anthropicRateLimited cools the entry until the reset, from retry-after and headers", async () => {
    const resetAt = Date.UTC(2099, 0, 1, 0, 0, 30);
    const { outcome, windows } = await classify(
      await programmed(anthropicRateLimited({ retryAfterS: 30, resetAt })),
    );
    expect(outcome).toMatchObject({ kind: "rate_limited", scope: "entry" });
    expect(windows.map((w) => [w.name, w.remaining, w.resetAt])).toEqual([
      ["anthropic-requests", 0, resetAt],
      ["anthropic-tokens", 88_000, resetAt],
      ["anthropic-input-tokens", 79_000, resetAt],
      ["anthropic-output-tokens", 9_000, resetAt],
    ]);
  });

  it("anthropicOverloaded is capacity, anthropicLowCredit is the account's credit", async () => {
    expect((await classify(await programmed(anthropicOverloaded()))).outcome).toMatchObject({
      kind: "upstream_error",
      status: 529,
    });
    expect((await classify(await programmed(anthropicLowCredit()))).outcome).toMatchObject({
      kind: "quota_exhausted",
      scope: "provider",
    });
  });

  it("anthropicStreamError fails mid-stream after its content", async () => {
    const signals = await signalsOf(await programmed(anthropicStreamError("c", { texts: ["Hi"] })));
    expect(chunkEvents(signals)).toEqual([
      "message_start",
      "content_block_start",
      "content_block_delta",
      "error",
    ]);
    expect(signals.at(-1)).toMatchObject({
      kind: "error",
      outcome: { kind: "upstream_error", midStream: true },
    });
    const limited = anthropicErrorFrame("rate_limit_error", "Slow down");
    const [event] = new SseParser().push(limited);
    expect(adapter.classifyStreamEvent(event!, Date.now())).toMatchObject({
      kind: "error",
      outcome: { kind: "rate_limited" },
    });
  });

  it("noDone drops message_stop: a stream that ends unfinished", async () => {
    const response = anthropicStreamed("c", ["a"]);
    const stream = { ...response.stream!, noDone: true };
    const signals = await signalsOf(await programmed({ ...response, stream }));
    expect(signals.some((s) => s.kind === "done")).toBe(false);
    expect(chunkEvents(signals).at(-1)).toBe("message_delta");
  });
});
