import { describe, expect, it } from "vitest";
import type { HeaderMap } from "../types";
import { groqAdapter } from "./index";

const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);
const res = (status: number, body: unknown, headers: HeaderMap = {}) => ({
  status,
  headers,
  body: typeof body === "string" ? body : JSON.stringify(body),
  now: NOW,
});
const HEADERS = {
  "x-ratelimit-limit-requests": "14400",
  "x-ratelimit-remaining-requests": "14370",
  "x-ratelimit-reset-requests": "2m59.56s",
  "x-ratelimit-limit-tokens": "18000",
  "x-ratelimit-remaining-tokens": "17997",
  "x-ratelimit-reset-tokens": "7.66s",
};
const groqError = (message: string) => ({
  error: { message, type: "tokens", code: "rate_limit_exceeded" },
});

describe("groq headers", () => {
  it("reads requests as a per-day window and tokens per minute", () => {
    expect(groqAdapter.parseRateLimitHeaders(HEADERS, NOW)).toEqual([
      {
        name: "requests-day",
        unit: "requests",
        limit: 14400,
        remaining: 14370,
        resetAt: NOW + 179_560,
      },
      { name: "tokens", unit: "tokens", limit: 18000, remaining: 17997, resetAt: NOW + 7660 },
    ]);
  });
});

describe("groq classifyResponse", () => {
  it("rate-limits a spent TPM window for the Retry-After seconds, with the window it names", () => {
    const body = groqError(
      "Rate limit reached for model `llama-3.1-8b-instant` in organization `org_01abc` service tier `on_demand` on tokens per minute (TPM): Limit 6000, Used 6000, Requested 700. Please try again in 5s.",
    );
    expect(groqAdapter.classifyResponse(res(429, body, { "retry-after": "2" }))).toEqual({
      kind: "rate_limited",
      scope: "entry",
      retryAt: NOW + 2000,
      reason: "429 rate_limit_exceeded: tokens per minute",
      windows: [
        { name: "tokens-minute", unit: "tokens", limit: 6000, remaining: 0, resetAt: NOW + 2000 },
      ],
    });
  });

  it("rejects a request too big for the tokens left, cooling nothing, and reports what is left", () => {
    const body = groqError(
      "Rate limit reached for model `llama-3.1-8b-instant` in organization `org_01abc` service tier `on_demand` on tokens per minute (TPM): Limit 6000, Used 5800, Requested 700. Please try again in 5s.",
    );
    expect(groqAdapter.classifyResponse(res(429, body, { "retry-after": "2" }))).toEqual({
      kind: "rejected",
      status: 429,
      reason: "429 tokens per minute: 700 requested, 200 left",
      windows: [
        { name: "tokens-minute", unit: "tokens", limit: 6000, remaining: 200, resetAt: NOW + 2000 },
      ],
    });
  });

  it("treats a spent tokens-per-day window as exhausted until the time in the message", () => {
    const body = groqError(
      "Rate limit reached for model `llama-3.3-70b-versatile` in organization `org_01abc` service tier `on_demand` on tokens per day (TPD): Limit 100000, Used 100000, Requested 1061. Please try again in 14h29m11.04s.",
    );
    expect(groqAdapter.classifyResponse(res(429, body))).toMatchObject({
      kind: "quota_exhausted",
      scope: "entry",
      retryAt: NOW + 52_151_040,
      reason: "429 rate_limit_exceeded: tokens per day",
      windows: [{ name: "tokens-day", remaining: 0, resetAt: NOW + 52_151_040 }],
    });
  });

  it("falls back to midnight UTC for a per-day limit with no time", () => {
    const body = groqError("Rate limit reached on requests per day (RPD): Limit 14400.");
    expect(groqAdapter.classifyResponse(res(429, body))).toMatchObject({
      kind: "quota_exhausted",
      retryAt: Date.UTC(2026, 5, 16),
    });
  });

  it("maps 498 flex capacity to an upstream error", () => {
    const body = { error: { message: "Capacity exceeded", type: "capacity_exceeded" } };
    expect(groqAdapter.classifyResponse(res(498, body))).toEqual({
      kind: "upstream_error",
      status: 498,
      reason: "498 capacity_exceeded: Capacity exceeded",
    });
  });

  it("turns an `event: error` stream frame into an error signal", () => {
    const data = JSON.stringify({
      error: { message: "Internal error", type: "internal_server_error" },
    });
    expect(groqAdapter.classifyStreamEvent({ event: "error", data }, NOW)).toEqual({
      kind: "error",
      outcome: {
        kind: "upstream_error",
        reason: "stream error: internal_server_error: Internal error",
        midStream: true,
      },
    });
  });
});

describe("groq adapter", () => {
  it("declares its defaults", () => {
    expect(groqAdapter).toMatchObject({
      type: "groq",
      defaultBaseUrl: "https://api.groq.com/openai/v1",
      headerScope: "entry",
      streamUsage: true,
    });
  });
});
