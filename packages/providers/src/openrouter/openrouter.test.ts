import type { ProviderConfig } from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import { buildUpstreamRequest } from "../build-upstream-request";
import { SseParser } from "../common/sse-parser";
import type { HeaderMap } from "../types";
import { openRouterAdapter } from "./index";

const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);
const MIDNIGHT = Date.UTC(2026, 5, 16);
const res = (status: number, body: unknown, headers: HeaderMap = {}) => ({
  status,
  headers,
  body: typeof body === "string" ? body : JSON.stringify(body),
  now: NOW,
});
const provider: ProviderConfig = {
  id: "or",
  name: "OpenRouter",
  type: "openrouter",
  apiKey: "sk-or-v1-x",
  enabled: true,
};

describe("openrouter headers", () => {
  it("reads X-RateLimit-* with an epoch-ms reset, any header case", () => {
    const headers = {
      "X-RateLimit-Limit": "20",
      "X-RateLimit-Remaining": "0",
      "X-RateLimit-Reset": String(NOW + 42_000),
    };
    expect(openRouterAdapter.parseRateLimitHeaders(headers, NOW)).toEqual([
      { name: "requests", unit: "requests", limit: 20, remaining: 0, resetAt: NOW + 42_000 },
    ]);
  });
});

describe("openrouter classifyResponse", () => {
  it("treats free-models-per-day as account-wide exhaustion until the reset in the body", () => {
    const body = {
      error: {
        code: 429,
        message:
          "Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day",
        metadata: {
          headers: {
            "X-RateLimit-Limit": "50",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": String(MIDNIGHT),
          },
        },
      },
    };
    expect(openRouterAdapter.classifyResponse(res(429, body))).toEqual({
      kind: "quota_exhausted",
      scope: "provider",
      retryAt: MIDNIGHT,
      reason: "429 free-models-per-day",
    });
  });

  it("uses limit_source and falls back to midnight UTC", () => {
    const body = {
      error: {
        code: 429,
        message: "Rate limit exceeded",
        metadata: { limit_source: "openrouter_free_tier_daily" },
      },
    };
    expect(openRouterAdapter.classifyResponse(res(429, body))).toMatchObject({
      kind: "quota_exhausted",
      scope: "provider",
      retryAt: MIDNIGHT,
    });
  });

  it("scopes an upstream provider's limit to the entry", () => {
    const body = {
      error: {
        code: 429,
        message:
          "meta-llama/llama-3.3-70b-instruct:free is temporarily rate-limited upstream. Please retry shortly.",
        metadata: { limit_source: "upstream_provider_shared_pool", provider_name: "Venice" },
      },
    };
    expect(openRouterAdapter.classifyResponse(res(429, body))).toMatchObject({
      kind: "rate_limited",
      scope: "entry",
      retryAt: undefined,
    });
  });

  it("scopes its own per-minute limit to the provider, cooling until the header reset", () => {
    const body = { error: { code: 429, message: "Rate limit exceeded: free-models-per-min." } };
    const headers = {
      "x-ratelimit-limit": "20",
      "x-ratelimit-remaining": "0",
      "x-ratelimit-reset": String(NOW + 30_000),
    };
    expect(openRouterAdapter.classifyResponse(res(429, body, headers))).toEqual({
      kind: "rate_limited",
      scope: "provider",
      retryAt: NOW + 30_000,
      reason: "429 Rate limit exceeded: free-models-per-min.",
    });
  });

  it("treats 402 as out of credit", () => {
    const body = { error: { code: 402, message: "Insufficient credits" } };
    expect(openRouterAdapter.classifyResponse(res(402, body))).toEqual({
      kind: "quota_exhausted",
      scope: "provider",
      retryAt: undefined,
      reason: "402 Insufficient credits",
    });
  });

  it("treats a 402 about this request's max_tokens as a rejection that cools nothing", () => {
    const body = {
      error: {
        code: 402,
        message:
          "This request requires more credits, or fewer max_tokens. You requested up to 16384 tokens, but can only afford 3000. To increase, visit https://openrouter.ai/settings/credits and upgrade to a paid account",
      },
    };
    const outcome = openRouterAdapter.classifyResponse(res(402, body));
    expect(outcome.kind).toBe("rejected");
    expect(outcome).toMatchObject({ status: 402 });
  });

  it("treats a moderation 403 as a client error, other 403s as auth failures", () => {
    const flagged = {
      error: {
        code: 403,
        message: "Input was flagged",
        metadata: { reasons: ["harassment"], flagged_input: "…", provider_name: "OpenAI" },
      },
    };
    expect(openRouterAdapter.classifyResponse(res(403, flagged))).toEqual({
      kind: "client_error",
      status: 403,
      reason: "403 input flagged by moderation",
    });
    expect(
      openRouterAdapter.classifyResponse(
        res(403, { error: { code: 403, message: "Key disabled" } }),
      ),
    ).toMatchObject({ kind: "auth_failed", scope: "entry", status: 403 });
  });
});

describe("openrouter streaming", () => {
  it("skips PROCESSING comments and detects the error chunk", () => {
    const parser = new SseParser();
    const events = parser.push(
      ": OPENROUTER PROCESSING\r\n\r\n" +
        'data: {"choices":[{"delta":{"content":"Hi"},"finish_reason":null}]}\r\n\r\n' +
        'data: {"error":{"code":429,"message":"Rate limit exceeded"},"choices":[{"delta":{"content":""},"finish_reason":"error"}]}\r\n\r\n',
    );
    const signals = events.map((e) => openRouterAdapter.classifyStreamEvent(e, NOW));
    expect(signals.map((s) => s.kind)).toEqual(["chunk", "error"]);
    expect(signals[1]).toMatchObject({ outcome: { kind: "rate_limited", scope: "entry" } });
  });
});

describe("openrouter request", () => {
  const body = { messages: [{ role: "user" as const, content: "hi" }] };

  it("adds attribution headers", () => {
    expect(
      buildUpstreamRequest(provider, "chat", { body, model: "x/y:free", stream: false })?.headers,
    ).toEqual({
      "HTTP-Referer": "https://github.com/429chain/429chain",
      "X-Title": "429chain",
      "content-type": "application/json",
      accept: "application/json",
      authorization: "Bearer sk-or-v1-x",
    });
  });

  it("lets the provider config override them", () => {
    const prepared = buildUpstreamRequest(
      { ...provider, headers: { "x-title": "my app" } },
      "chat",
      { body, model: "x/y:free", stream: false },
    );
    expect(prepared?.headers).toMatchObject({
      "HTTP-Referer": "https://github.com/429chain/429chain",
      "x-title": "my app",
    });
    expect(prepared?.headers).not.toHaveProperty("X-Title");
    expect(prepared?.body).toEqual({ ...body, model: "x/y:free", stream: false });
  });

  it("offers embeddings", () => {
    expect(
      buildUpstreamRequest(provider, "embeddings", {
        body: { input: "a" },
        model: "m",
        stream: false,
      })?.url,
    ).toBe("https://openrouter.ai/api/v1/embeddings");
  });

  it("declares its defaults", () => {
    expect(openRouterAdapter).toMatchObject({
      defaultBaseUrl: "https://openrouter.ai/api/v1",
      headerScope: "provider",
      streamUsage: true,
    });
  });
});
