import { describe, expect, it } from "vitest";
import type { HeaderMap } from "../types";
import { genericOpenAiAdapter } from "./index";

const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);
const MIDNIGHT = Date.UTC(2026, 5, 16);
const res = (status: number, body: unknown, headers: HeaderMap = {}) => ({
  status,
  headers,
  body: typeof body === "string" ? body : JSON.stringify(body),
  now: NOW,
});
const classify = genericOpenAiAdapter.classifyResponse;

describe("generic-openai headers", () => {
  it("accepts the OpenAI family", () => {
    const windows = genericOpenAiAdapter.parseRateLimitHeaders(
      { "x-ratelimit-remaining-requests": "3", "x-ratelimit-reset-requests": "12ms" },
      NOW,
    );
    expect(windows).toEqual([
      { name: "requests", unit: "requests", remaining: 3, resetAt: NOW + 12 },
    ]);
  });

  it("accepts Anthropic's windows with RFC 3339 resets; longest exhausted one wins", () => {
    const headers = {
      "anthropic-ratelimit-requests-limit": "50",
      "anthropic-ratelimit-requests-remaining": "0",
      "anthropic-ratelimit-requests-reset": "2026-06-15T12:00:30Z",
      "anthropic-ratelimit-input-tokens-limit": "30000",
      "anthropic-ratelimit-input-tokens-remaining": "0",
      "anthropic-ratelimit-input-tokens-reset": "2026-06-15T12:00:59Z",
    };
    expect(genericOpenAiAdapter.parseRateLimitHeaders(headers, NOW)).toHaveLength(2);
    const body = {
      type: "error",
      error: {
        type: "rate_limit_error",
        message: "Number of request tokens has exceeded your per-minute rate limit",
      },
    };
    expect(classify(res(429, body, headers))).toEqual({
      kind: "rate_limited",
      scope: "entry",
      retryAt: Date.UTC(2026, 5, 15, 12, 0, 59),
      reason:
        "429 rate_limit_error: Number of request tokens has exceeded your per-minute rate limit",
    });
  });

  it("has no windows without headers", () => {
    expect(genericOpenAiAdapter.parseRateLimitHeaders({}, NOW)).toEqual([]);
  });
});

describe("generic-openai classifyResponse", () => {
  it("treats the Anthropic spend cap as exhausted until the date in the text", () => {
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

  it("treats Anthropic's 'credit balance is too low' as exhausted credit, not a client error", () => {
    const body = {
      type: "error",
      error: {
        type: "invalid_request_error",
        message: "Your credit balance is too low to access the Anthropic API.",
      },
    };
    expect(classify(res(400, body))).toEqual({
      kind: "quota_exhausted",
      scope: "provider",
      reason: "400 invalid_request_error: credit balance too low",
    });
  });

  it("maps Anthropic 529 overloaded to an upstream error", () => {
    const body = { type: "error", error: { type: "overloaded_error", message: "Overloaded" } };
    expect(classify(res(529, body))).toEqual({
      kind: "upstream_error",
      status: 529,
      reason: "529 overloaded_error: Overloaded",
    });
  });

  it("treats Cloudflare 3036 as daily exhaustion until midnight UTC", () => {
    const body = {
      success: false,
      errors: [
        { code: 3036, message: "You have used up your daily free allocation of 10,000 neurons" },
      ],
      result: null,
    };
    expect(classify(res(429, body))).toEqual({
      kind: "quota_exhausted",
      scope: "provider",
      retryAt: MIDNIGHT,
      reason: "429 daily allocation (3036)",
    });
  });

  it("treats GitHub Models UserByModelByDay as exhausted for Retry-After", () => {
    const headers = { "retry-after": "43200", "x-ratelimit-type": "UserByModelByDay" };
    const body = {
      error: {
        code: "RateLimitReached",
        message: "Rate limit of 150 per 86400s exceeded for UserByModelByDay.",
      },
    };
    expect(classify(res(429, body, headers))).toEqual({
      kind: "quota_exhausted",
      scope: "entry",
      retryAt: NOW + 43_200_000,
      reason: "429 RateLimitReached: UserByModelByDay",
    });
  });

  it("rate-limits an xAI bare-string body and an NVIDIA problem body", () => {
    expect(classify(res(429, '"Too many requests, slow down"'))).toEqual({
      kind: "rate_limited",
      scope: "entry",
      retryAt: undefined,
      reason: "429 Too many requests, slow down",
    });
    expect(classify(res(429, { status: 429, title: "Too Many Requests" }))).toMatchObject({
      kind: "rate_limited",
      reason: "429 Too Many Requests: Too Many Requests",
    });
  });

  it("rate-limits a DeepSeek-style 429 with only a Retry-After", () => {
    expect(classify(res(429, "", { "retry-after": "7" }))).toMatchObject({
      kind: "rate_limited",
      retryAt: NOW + 7000,
      reason: "429 empty body",
    });
  });

  it("treats 402 from DeepSeek as exhausted credit", () => {
    const body = {
      error: {
        message: "Insufficient Balance",
        type: "unknown_error",
        code: "invalid_request_error",
      },
    };
    expect(classify(res(402, body))).toMatchObject({ kind: "quota_exhausted", scope: "provider" });
  });
});

describe("generic-openai adapter", () => {
  it("has no default base URL and asks for usage", () => {
    expect(genericOpenAiAdapter).toMatchObject({ defaultBaseUrl: undefined, streamUsage: true });
  });
});
