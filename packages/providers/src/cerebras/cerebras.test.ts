import type { ChatCompletionRequest, ProviderConfig } from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import { buildUpstreamRequest } from "../build-upstream-request";
import type { HeaderMap } from "../types";
import { cerebrasAdapter } from "./index";

const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);
const res = (status: number, body: unknown, headers: HeaderMap = {}) => ({
  status,
  headers,
  body: typeof body === "string" ? body : JSON.stringify(body),
  now: NOW,
});
const headers = (requestsLeft: string, tokensLeft: string): HeaderMap => ({
  "x-ratelimit-limit-requests-day": "14400",
  "x-ratelimit-remaining-requests-day": requestsLeft,
  "x-ratelimit-reset-requests-day": "33011.382867097855",
  "x-ratelimit-limit-tokens-minute": "1000000000",
  "x-ratelimit-remaining-tokens-minute": tokensLeft,
  "x-ratelimit-reset-tokens-minute": "20.5",
});
const quotaError = (message: string) => ({
  message,
  type: "too_many_requests_error",
  param: "quota",
  code: "request_quota_exceeded",
});

describe("cerebras headers", () => {
  it("reads the day and minute windows with float-second resets; 'unlimited' stays a number", () => {
    expect(cerebrasAdapter.parseRateLimitHeaders(headers("14000", "999999000"), NOW)).toEqual([
      {
        name: "requests-day",
        unit: "requests",
        limit: 14400,
        remaining: 14000,
        resetAt: NOW + 33_011_383,
      },
      {
        name: "tokens-minute",
        unit: "tokens",
        limit: 1_000_000_000,
        remaining: 999_999_000,
        resetAt: NOW + 20_500,
      },
    ]);
  });
});

describe("cerebras classifyResponse", () => {
  it("reads the top-level error body and cools a minute limit until its reset", () => {
    const body = quotaError("Tokens per minute limit exceeded - too many tokens processed.");
    expect(cerebrasAdapter.classifyResponse(res(429, body, headers("100", "0")))).toEqual({
      kind: "rate_limited",
      scope: "entry",
      retryAt: NOW + 20_500,
      reason: "429 request_quota_exceeded: tokens per minute",
    });
  });

  it("cools a spent request minute (no header of its own) until the token minute's reset", () => {
    const body = quotaError("Requests per minute limit exceeded - too many requests sent.");
    expect(cerebrasAdapter.classifyResponse(res(429, body, headers("100", "5000")))).toEqual({
      kind: "rate_limited",
      scope: "entry",
      retryAt: NOW + 20_500,
      reason: "429 request_quota_exceeded: requests per minute",
    });
  });

  it("never lets the exhausted minute window hide the exhausted day", () => {
    const body = quotaError("Tokens per minute limit exceeded - too many tokens processed.");
    expect(cerebrasAdapter.classifyResponse(res(429, body, headers("0", "0")))).toMatchObject({
      kind: "rate_limited",
      retryAt: NOW + 33_011_383,
    });
  });

  it("marks a per-day message as quota exhausted until the day window resets", () => {
    const body = quotaError("Requests per day limit exceeded - too many requests sent.");
    expect(cerebrasAdapter.classifyResponse(res(429, body, headers("0", "5000")))).toEqual({
      kind: "quota_exhausted",
      scope: "entry",
      retryAt: NOW + 33_011_383,
      reason: "429 request_quota_exceeded: requests per day",
    });
  });
});

describe("cerebras request", () => {
  const provider: ProviderConfig = {
    id: "cb",
    name: "Cerebras",
    type: "cerebras",
    apiKey: "csk-x",
    enabled: true,
  };

  it("drops presence_penalty and frequency_penalty without mutating the input", () => {
    const request: ChatCompletionRequest = {
      messages: [{ role: "user", content: "hi" }],
      presence_penalty: 0.5,
      frequency_penalty: 0.5,
      top_p: 0.9,
    };
    const prepared = buildUpstreamRequest(provider, "chat", {
      body: request,
      model: "llama3.1-8b",
      stream: true,
    });
    expect(prepared?.body).toEqual({
      messages: [{ role: "user", content: "hi" }],
      top_p: 0.9,
      model: "llama3.1-8b",
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(request.presence_penalty).toBe(0.5);
  });

  it("has no embeddings endpoint", () => {
    expect(
      buildUpstreamRequest(provider, "embeddings", {
        body: { input: "a" },
        model: "m",
        stream: false,
      }),
    ).toBeUndefined();
  });

  it("declares its defaults", () => {
    expect(cerebrasAdapter).toMatchObject({
      defaultBaseUrl: "https://api.cerebras.ai/v1",
      headerScope: "entry",
    });
  });
});
