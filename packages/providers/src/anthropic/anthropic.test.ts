import type { ProviderConfig, TokenUsage } from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import { buildUpstreamRequest } from "../build-upstream-request";
import { SseParser } from "../common/sse-parser";
import { mergeStreamUsage } from "../common/stream-usage";
import type { HeaderMap, StreamSignal } from "../types";
import { anthropicAdapter } from "./index";

const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);
const res = (status: number, body: unknown, headers: HeaderMap = {}) => ({
  status,
  headers,
  body: typeof body === "string" ? body : JSON.stringify(body),
  now: NOW,
});
const error = (type: string, message: string) => ({ type: "error", error: { type, message } });
const classify = anthropicAdapter.classifyResponse;
const provider: ProviderConfig = {
  id: "claude",
  name: "Anthropic",
  type: "anthropic",
  apiKey: "sk-ant-api03-secret",
  enabled: true,
};

const HEADERS = {
  "anthropic-ratelimit-requests-limit": "50",
  "anthropic-ratelimit-requests-remaining": "49",
  "anthropic-ratelimit-requests-reset": "2026-06-15T12:00:06Z",
  "anthropic-ratelimit-tokens-limit": "90000",
  "anthropic-ratelimit-tokens-remaining": "89000",
  "anthropic-ratelimit-tokens-reset": "2026-06-15T12:00:01Z",
  "anthropic-ratelimit-input-tokens-limit": "80000",
  "anthropic-ratelimit-input-tokens-remaining": "79000",
  "anthropic-ratelimit-input-tokens-reset": "2026-06-15T12:00:01Z",
  "anthropic-ratelimit-output-tokens-limit": "10000",
  "anthropic-ratelimit-output-tokens-remaining": "10000",
  "anthropic-ratelimit-output-tokens-reset": "2026-06-15T12:00:00Z",
};

describe("anthropic headers", () => {
  it("reads the request, token, input and output windows with RFC 3339 resets", () => {
    expect(anthropicAdapter.parseRateLimitHeaders(HEADERS, NOW)).toEqual([
      {
        name: "anthropic-requests",
        unit: "requests",
        limit: 50,
        remaining: 49,
        resetAt: NOW + 6000,
      },
      {
        name: "anthropic-tokens",
        unit: "tokens",
        limit: 90000,
        remaining: 89000,
        resetAt: NOW + 1000,
      },
      {
        name: "anthropic-input-tokens",
        unit: "tokens",
        limit: 80000,
        remaining: 79000,
        resetAt: NOW + 1000,
      },
      {
        name: "anthropic-output-tokens",
        unit: "tokens",
        limit: 10000,
        remaining: 10000,
        resetAt: NOW,
      },
    ]);
  });

  it("has no windows without headers", () => {
    expect(anthropicAdapter.parseRateLimitHeaders({ "retry-after": "3" }, NOW)).toEqual([]);
  });
});

describe("anthropic classifyResponse", () => {
  it("serves a 200 message", () => {
    const message = {
      id: "msg_1",
      type: "message",
      role: "assistant",
      model: "claude-sonnet-4-5",
      content: [{ type: "text", text: "Hi" }],
      stop_reason: "end_turn",
      stop_sequence: null,
      usage: { input_tokens: 9, output_tokens: 1 },
    };
    expect(classify(res(200, message, HEADERS))).toEqual({ kind: "ok" });
  });

  it("rate-limits a 429 until retry-after, scoped to the entry", () => {
    const body = error(
      "rate_limit_error",
      "Number of request tokens has exceeded your per-minute rate limit",
    );
    expect(classify(res(429, body, { ...HEADERS, "retry-after": "12" }))).toEqual({
      kind: "rate_limited",
      scope: "entry",
      retryAt: NOW + 12_000,
      reason:
        "429 rate_limit_error: Number of request tokens has exceeded your per-minute rate limit",
    });
  });

  it("without retry-after, waits for the longest exhausted window", () => {
    const headers = {
      ...HEADERS,
      "anthropic-ratelimit-input-tokens-remaining": "0",
      "anthropic-ratelimit-input-tokens-reset": "2026-06-15T12:00:40Z",
      "anthropic-ratelimit-requests-remaining": "0",
    };
    expect(classify(res(429, error("rate_limit_error", "x"), headers))).toMatchObject({
      kind: "rate_limited",
      retryAt: NOW + 40_000,
    });
  });

  it("treats 529 overloaded as capacity (upstream error), never quota", () => {
    const outcome = classify(
      res(529, error("overloaded_error", "Overloaded"), { "retry-after": "5" }),
    );
    expect(outcome).toEqual({
      kind: "upstream_error",
      status: 529,
      reason: "529 overloaded_error: Overloaded",
    });
  });

  it("treats a 400 'credit balance is too low' as account-wide credit exhaustion", () => {
    const body = error(
      "invalid_request_error",
      "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.",
    );
    expect(classify(res(400, body))).toEqual({
      kind: "quota_exhausted",
      scope: "provider",
      reason: "400 invalid_request_error: credit balance too low",
    });
  });

  it("treats the monthly spend cap as exhausted until the date in the text", () => {
    const body = {
      type: "error",
      error: {
        type: "rate_limit_error",
        message:
          "You have reached your specified workspace API usage limits. You will regain access on 2026-07-01 at 00:00 UTC.",
        details: { error_code: "enforced_spend_limit_reached" },
      },
    };
    expect(classify(res(429, body))).toEqual({
      kind: "quota_exhausted",
      scope: "provider",
      retryAt: Date.UTC(2026, 6, 1),
      reason: "429 enforced_spend_limit_reached: spend cap",
    });
  });

  it.each([
    [401, "authentication_error", { kind: "auth_failed", scope: "provider", status: 401 }],
    [403, "permission_error", { kind: "auth_failed", scope: "entry", status: 403 }],
    [404, "not_found_error", { kind: "client_error", status: 404 }],
    [413, "request_too_large", { kind: "client_error", status: 413 }],
    [400, "invalid_request_error", { kind: "client_error", status: 400 }],
    [500, "api_error", { kind: "upstream_error", status: 500 }],
  ])("maps %i %s", (status, type, expected) => {
    expect(classify(res(status, error(type, "m")))).toMatchObject(expected);
  });
});

describe("anthropic requests", () => {
  const body = {
    model: "alias",
    max_tokens: 1024,
    system: "Be brief.",
    messages: [{ role: "user", content: "hi" }],
  };

  it("sends /v1/messages with x-api-key and anthropic-version, never a bearer token", () => {
    expect(
      buildUpstreamRequest(provider, "messages", {
        body,
        model: "claude-sonnet-4-5",
        stream: true,
      }),
    ).toEqual({
      url: "https://api.anthropic.com/v1/messages",
      body: { ...body, model: "claude-sonnet-4-5", stream: true },
      headers: {
        "anthropic-version": "2023-06-01",
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "x-api-key": "sk-ant-api03-secret",
      },
    });
  });

  it.each([
    "https://api.anthropic.com",
    "https://api.anthropic.com/",
    "https://api.anthropic.com/v1",
    "https://api.anthropic.com/v1/",
  ])("never doubles /v1 with base URL %s", (baseUrl) => {
    const p = { ...provider, baseUrl };
    const input = { body, model: "m", stream: false };
    expect(buildUpstreamRequest(p, "messages", input)?.url).toBe(
      "https://api.anthropic.com/v1/messages",
    );
    expect(buildUpstreamRequest(p, "countTokens", input)?.url).toBe(
      "https://api.anthropic.com/v1/messages/count_tokens",
    );
  });

  it("keeps a proxy's own path prefix", () => {
    const p = { ...provider, baseUrl: "http://127.0.0.1:9000/anthropic" };
    expect(buildUpstreamRequest(p, "messages", { body, model: "m", stream: false })?.url).toBe(
      "http://127.0.0.1:9000/anthropic/v1/messages",
    );
  });

  it("counts tokens with the prompt only: no stream, no generation settings", () => {
    const prepared = buildUpstreamRequest(provider, "countTokens", {
      body: { ...body, temperature: 0.5, stream: true, metadata: { user_id: "u" } },
      model: "claude-haiku-4-5",
      stream: true,
    });
    expect(prepared?.body).toEqual({
      model: "claude-haiku-4-5",
      system: "Be brief.",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(prepared?.headers.accept).toBe("application/json");
  });

  it("forwards the client's anthropic-beta and anthropic-version, never its credentials", () => {
    const prepared = buildUpstreamRequest(provider, "messages", {
      body,
      model: "m",
      stream: false,
      clientHeaders: {
        "anthropic-beta": [
          "interleaved-thinking-2025-05-14",
          "fine-grained-tool-streaming-2025-05-14",
        ],
        "anthropic-version": "2023-01-01",
        "x-api-key": "client-gateway-key",
        authorization: "Bearer client-gateway-key",
        "user-agent": "claude-cli/2.0",
      },
    });
    expect(prepared?.headers).toEqual({
      "anthropic-version": "2023-01-01",
      "anthropic-beta": "interleaved-thinking-2025-05-14,fine-grained-tool-streaming-2025-05-14",
      "content-type": "application/json",
      accept: "application/json",
      "x-api-key": "sk-ant-api03-secret",
    });
  });

  it("has no chat or embeddings endpoint: those must be translated or refused", () => {
    const input = { body, model: "m", stream: false };
    expect(buildUpstreamRequest(provider, "chat", input)).toBeUndefined();
    expect(buildUpstreamRequest(provider, "embeddings", input)).toBeUndefined();
  });

  it("declares its defaults", () => {
    expect(anthropicAdapter).toMatchObject({
      type: "anthropic",
      defaultBaseUrl: "https://api.anthropic.com",
      headerScope: "entry",
      wire: "anthropic",
    });
  });
});

// A real stream (docs.anthropic.com/en/docs/build-with-claude/streaming), one tool call,
// cache usage, CRLF line endings and a ping.
const STREAM = [
  "event: message_start",
  'data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":100,"cache_read_input_tokens":1000,"output_tokens":1}}}',
  "",
  "event: ping",
  'data: {"type": "ping"}',
  "",
  "event: content_block_start",
  'data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
  "",
  "event: content_block_delta",
  'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Checking."}}',
  "",
  "event: content_block_stop",
  'data: {"type":"content_block_stop","index":0}',
  "",
  "event: content_block_start",
  'data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}}',
  "",
  "event: content_block_delta",
  'data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\": \\"Paris\\"}"}}',
  "",
  "event: content_block_stop",
  'data: {"type":"content_block_stop","index":1}',
  "",
  "event: message_delta",
  'data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":42}}',
  "",
  "event: message_stop",
  'data: {"type":"message_stop"}',
  "",
  "",
].join("\r\n");

function signalsOf(text: string): StreamSignal[] {
  const parser = new SseParser();
  return [...parser.push(text), ...parser.end()].map((e) =>
    anthropicAdapter.classifyStreamEvent(e, NOW),
  );
}

describe("anthropic classifyStreamEvent", () => {
  it("forwards every event with its name, ignores pings and ends on message_stop", () => {
    const signals = signalsOf(STREAM);
    expect(signals.map((s) => (s.kind === "chunk" ? s.event : s.kind))).toEqual([
      "message_start",
      "ignore",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "done",
    ]);
    expect(signals.at(-1)).toEqual({
      kind: "done",
      event: "message_stop",
      data: '{"type":"message_stop"}',
    });
    const start = signals[0];
    expect(start).toMatchObject({ kind: "chunk", json: { type: "message_start" } });
    expect(start?.kind === "chunk" && start.data).toContain('"id":"msg_1"');
  });

  it("counts content from the first delta or tool_use block, not from message_start", () => {
    const content = signalsOf(STREAM).map((s) => (s.kind === "chunk" ? s.hasContent : null));
    expect(content).toEqual([false, null, false, true, false, true, true, false, true, null]);
  });

  it.each([
    { type: "thinking_delta", thinking: "Let me see" },
    { type: "signature_delta", signature: "EqQBCgIYAh" },
    { type: "input_json_delta", partial_json: "" },
  ])("counts a %j delta as content", (delta) => {
    const event = {
      event: "content_block_delta",
      data: JSON.stringify({ type: "content_block_delta", index: 0, delta }),
    };
    expect(anthropicAdapter.classifyStreamEvent(event, NOW)).toMatchObject({ hasContent: true });
  });

  it("reports the prompt at message_start and the completion at message_delta", () => {
    const usages = signalsOf(STREAM).flatMap((s) =>
      s.kind === "chunk" && s.usage ? [s.usage] : [],
    );
    // The cache reads are reported apart as well, for pricing.
    expect(usages).toEqual([{ promptTokens: 1112, cachedTokens: 1000 }, { completionTokens: 42 }]);
    let merged: TokenUsage | undefined;
    for (const usage of usages) merged = mergeStreamUsage(merged, usage);
    expect(merged).toEqual({
      promptTokens: 1112,
      completionTokens: 42,
      totalTokens: 1154,
      cachedTokens: 1000,
      estimated: false,
    });
  });

  it("takes the prompt from message_delta when it carries input_tokens", () => {
    const data = {
      type: "message_delta",
      delta: { stop_reason: "end_turn" },
      usage: { input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 7 },
    };
    expect(
      anthropicAdapter.classifyStreamEvent(
        { event: "message_delta", data: JSON.stringify(data) },
        NOW,
      ),
    ).toMatchObject({ hasContent: true, usage: { promptTokens: 15, completionTokens: 7 } });
  });

  it("fails mid-stream on an overloaded error event, rate-limits on a rate_limit_error", () => {
    const overloaded = {
      event: "error",
      data: JSON.stringify(error("overloaded_error", "Overloaded")),
    };
    expect(anthropicAdapter.classifyStreamEvent(overloaded, NOW)).toEqual({
      kind: "error",
      outcome: {
        kind: "upstream_error",
        reason: "stream error: overloaded_error: Overloaded",
        midStream: true,
      },
    });
    const limited = {
      event: "error",
      data: JSON.stringify(error("rate_limit_error", "Slow down")),
    };
    expect(anthropicAdapter.classifyStreamEvent(limited, NOW)).toMatchObject({
      kind: "error",
      outcome: { kind: "rate_limited", scope: "entry" },
    });
  });

  it("reads the event name from `type` when the event line is missing", () => {
    const data = JSON.stringify({ type: "message_stop" });
    expect(anthropicAdapter.classifyStreamEvent({ event: undefined, data }, NOW)).toMatchObject({
      kind: "done",
    });
    const err = JSON.stringify(error("overloaded_error", "Overloaded"));
    expect(
      anthropicAdapter.classifyStreamEvent({ event: undefined, data: err }, NOW),
    ).toMatchObject({
      kind: "error",
    });
  });

  it("fails on a garbage frame", () => {
    expect(
      anthropicAdapter.classifyStreamEvent({ event: "content_block_delta", data: "<html>" }, NOW),
    ).toMatchObject({ kind: "error", outcome: { kind: "upstream_error", midStream: true } });
  });
});
