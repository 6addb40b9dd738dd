import type { ProviderConfig } from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import { buildUpstreamRequest } from "../build-upstream-request";
import { mistralAdapter } from "./index";

const NOW = Date.UTC(2026, 5, 15, 12, 0, 12);
const NEXT_MINUTE = Date.UTC(2026, 5, 15, 12, 1, 0);

describe("mistral headers", () => {
  it("reads token and request minute windows, resetting at the next minute", () => {
    const headers = {
      "x-ratelimit-limit-tokens-minute": "500000",
      "x-ratelimit-remaining-tokens-minute": "499000",
      "x-ratelimit-limit-req-minute": "60",
      "x-ratelimit-remaining-req-minute": "0",
    };
    expect(mistralAdapter.parseRateLimitHeaders(headers, NOW)).toEqual([
      {
        name: "tokens-minute",
        unit: "tokens",
        limit: 500000,
        remaining: 499000,
        resetAt: NEXT_MINUTE,
      },
      { name: "requests-minute", unit: "requests", limit: 60, remaining: 0, resetAt: NEXT_MINUTE },
    ]);
  });

  it("reads the older ratelimitbysize family with its reset in seconds", () => {
    const headers = {
      "ratelimitbysize-limit": "500000",
      "ratelimitbysize-remaining": "0",
      "ratelimitbysize-reset": "18",
    };
    expect(mistralAdapter.parseRateLimitHeaders(headers, NOW)).toEqual([
      { name: "tokens-minute", unit: "tokens", limit: 500000, remaining: 0, resetAt: NOW + 18_000 },
    ]);
  });
});

describe("mistral classifyResponse", () => {
  it("rate-limits a 429 until the exhausted window resets", () => {
    const body = JSON.stringify({
      object: "error",
      message: "Requests rate limit exceeded",
      type: "rate_limited",
      param: null,
      code: "1300",
    });
    const headers = {
      "x-ratelimit-limit-req-minute": "60",
      "x-ratelimit-remaining-req-minute": "0",
    };
    expect(mistralAdapter.classifyResponse({ status: 429, headers, body, now: NOW })).toEqual({
      kind: "rate_limited",
      scope: "entry",
      retryAt: NEXT_MINUTE,
      reason: "429 rate_limited: Requests rate limit exceeded",
    });
  });
});

describe("mistral request", () => {
  const provider: ProviderConfig = {
    id: "m",
    name: "Mistral",
    type: "mistral",
    apiKey: "k",
    enabled: true,
  };

  it("never sends stream_options (Mistral rejects them)", () => {
    const prepared = buildUpstreamRequest(provider, "chat", {
      body: {
        messages: [{ role: "user", content: "hi" }],
        stream_options: { include_usage: true },
      },
      model: "mistral-small-latest",
      stream: true,
    });
    expect(prepared?.body).toEqual({
      messages: [{ role: "user", content: "hi" }],
      model: "mistral-small-latest",
      stream: true,
    });
  });

  it("declares its defaults", () => {
    expect(mistralAdapter).toMatchObject({
      defaultBaseUrl: "https://api.mistral.ai/v1",
      headerScope: "entry",
      streamUsage: false,
    });
  });
});
