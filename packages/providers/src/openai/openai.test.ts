import type { ProviderConfig } from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import { buildUpstreamRequest } from "../build-upstream-request";
import type { HeaderMap } from "../types";
import { openAiAdapter } from "./index";

const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);
const res = (status: number, body: unknown, headers: HeaderMap = {}) => ({
  status,
  headers,
  body: typeof body === "string" ? body : JSON.stringify(body),
  now: NOW,
});
const provider: ProviderConfig = {
  id: "oa",
  name: "OpenAI",
  type: "openai",
  apiKey: "sk-x",
  enabled: true,
};
const HEADERS = {
  "x-ratelimit-limit-requests": "60",
  "x-ratelimit-remaining-requests": "59",
  "x-ratelimit-reset-requests": "1s",
  "x-ratelimit-limit-tokens": "150000",
  "x-ratelimit-remaining-tokens": "149984",
  "x-ratelimit-reset-tokens": "6m0s",
  "x-ratelimit-limit-tokens_usage_based": "150000",
  "x-ratelimit-remaining-tokens_usage_based": "149984",
  "x-ratelimit-reset-tokens_usage_based": "9ms",
};

describe("openai headers", () => {
  it("reads the per-minute request and token windows", () => {
    expect(openAiAdapter.parseRateLimitHeaders(HEADERS, NOW)).toEqual([
      { name: "requests", unit: "requests", limit: 60, remaining: 59, resetAt: NOW + 1000 },
      { name: "tokens", unit: "tokens", limit: 150000, remaining: 149984, resetAt: NOW + 360_000 },
      {
        name: "tokens-usage-based",
        unit: "tokens",
        limit: 150000,
        remaining: 149984,
        resetAt: NOW + 9,
      },
    ]);
  });

  it("drops windows whose headers are missing or garbage", () => {
    const windows = openAiAdapter.parseRateLimitHeaders(
      { "x-ratelimit-remaining-requests": "NaN", "x-ratelimit-reset-requests": "1s" },
      NOW,
    );
    expect(windows).toEqual([]);
  });
});

describe("openai classifyResponse", () => {
  const tpm = {
    error: {
      message:
        "Rate limit reached for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Used 30000, Requested 700. Please try again in 644ms.",
      type: "tokens",
      param: null,
      code: "rate_limit_exceeded",
    },
  };

  it("rate-limits with the wait from the message", () => {
    expect(openAiAdapter.classifyResponse(res(429, tpm))).toMatchObject({
      kind: "rate_limited",
      scope: "entry",
      retryAt: NOW + 644,
      reason: "429 rate_limit_exceeded: tokens per minute",
    });
  });

  it("prefers retry-after-ms, then the exhausted window over the body", () => {
    expect(
      openAiAdapter.classifyResponse(res(429, tpm, { ...HEADERS, "retry-after-ms": "250" })),
    ).toMatchObject({ retryAt: NOW + 250 });
    const exhausted = { ...HEADERS, "x-ratelimit-remaining-tokens": "0" };
    expect(openAiAdapter.classifyResponse(res(429, tpm, exhausted))).toMatchObject({
      retryAt: NOW + 360_000,
    });
  });

  it("treats insufficient_quota as exhausted credit with no reset", () => {
    const body = {
      error: {
        message: "You exceeded your current quota, please check your plan and billing details.",
        type: "insufficient_quota",
        param: null,
        code: "insufficient_quota",
      },
    };
    expect(openAiAdapter.classifyResponse(res(429, body))).toEqual({
      kind: "quota_exhausted",
      scope: "provider",
      reason: "429 insufficient_quota",
    });
  });

  it("treats 'Request too large' as a client error", () => {
    const body = {
      error: {
        message:
          "Request too large for gpt-4o in organization org-abc on tokens per min (TPM): Limit 30000, Requested 45000.",
        type: "tokens",
        code: "rate_limit_exceeded",
      },
    };
    expect(openAiAdapter.classifyResponse(res(429, body))).toEqual({
      kind: "client_error",
      status: 413,
      reason: "429 request too large for this model",
    });
  });

  it("maps 503 Slow Down to an upstream error", () => {
    expect(
      openAiAdapter.classifyResponse(
        res(503, { error: { message: "Slow Down", type: "server_error" } }),
      ),
    ).toEqual({ kind: "upstream_error", status: 503, reason: "503 server_error: Slow Down" });
  });

  it("masks a key echoed in a 401 message", () => {
    const outcome = openAiAdapter.classifyResponse(
      res(401, {
        error: {
          message: "Incorrect API key provided: sk-proj-abc123def456.",
          code: "invalid_api_key",
        },
      }),
    );
    expect(outcome).toEqual({
      kind: "auth_failed",
      scope: "provider",
      status: 401,
      reason: "401 invalid_api_key: Incorrect API key provided: [redacted].",
    });
  });
});

describe("openai request", () => {
  it("sets model, stream and include_usage; passes config headers and the bearer key", () => {
    const prepared = buildUpstreamRequest(
      { ...provider, headers: { "OpenAI-Organization": "org-1" } },
      "chat",
      {
        body: { model: "fast", messages: [{ role: "user", content: "hi" }], stream: true },
        model: "gpt-4o-mini",
        stream: true,
      },
    );
    expect(prepared).toEqual({
      url: "https://api.openai.com/v1/chat/completions",
      body: {
        model: "gpt-4o-mini",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
        stream_options: { include_usage: true },
      },
      headers: {
        "OpenAI-Organization": "org-1",
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        authorization: "Bearer sk-x",
      },
    });
  });

  it("sends embeddings to /embeddings with the model and no stream fields", () => {
    const prepared = buildUpstreamRequest(provider, "embeddings", {
      body: { model: "emb", input: "hi", stream_options: { include_usage: true } },
      model: "text-embedding-3-small",
      stream: true,
    });
    expect(prepared).toMatchObject({
      url: "https://api.openai.com/v1/embeddings",
      body: { model: "text-embedding-3-small", input: "hi" },
      headers: { accept: "application/json", authorization: "Bearer sk-x" },
    });
    expect(prepared?.body).not.toHaveProperty("stream");
    expect(prepared?.body).not.toHaveProperty("stream_options");
  });

  it("declares its defaults", () => {
    expect(openAiAdapter).toMatchObject({
      type: "openai",
      defaultBaseUrl: "https://api.openai.com/v1",
      headerScope: "entry",
      streamUsage: true,
      wire: "chat",
      endpoints: { chat: "/chat/completions", embeddings: "/embeddings" },
    });
  });
});
