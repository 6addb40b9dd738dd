import type { ProviderConfig } from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import { buildUpstreamRequest } from "../build-upstream-request";
import type { HeaderMap } from "../types";
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
