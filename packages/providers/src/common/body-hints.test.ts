import { describe, expect, it } from "vitest";
import { looksRateLimited, parseBodyHints } from "./body-hints";

const geminiError = {
  error: {
    code: 429,
    message:
      "You exceeded your current quota. Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 0, model: gemini-2.5-pro. Please retry in 36.5s.",
    status: "RESOURCE_EXHAUSTED",
    details: [
      {
        "@type": "type.googleapis.com/google.rpc.QuotaFailure",
        violations: [
          {
            quotaMetric: "generativelanguage.googleapis.com/generate_content_free_tier_requests",
            quotaId: "GenerateRequestsPerDayPerProjectPerModel-FreeTier",
          },
        ],
      },
      { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "36s" },
    ],
  },
};

describe("parseBodyHints", () => {
  it("reads the OpenAI error shape and the wait in the message", () => {
    const hints = parseBodyHints(
      JSON.stringify({
        error: {
          message:
            "Rate limit reached for gpt-4o in organization org-x on tokens per min (TPM): Limit 30000, Used 29000. Please try again in 644ms.",
          type: "tokens",
          param: null,
          code: "rate_limit_exceeded",
        },
      }),
    );
    expect(hints).toMatchObject({ isError: true, type: "tokens", code: "rate_limit_exceeded" });
    expect(hints.retryDelayMs).toBe(644);
  });

  it.each([
    ["Please try again in 9m38.016s.", 578_016],
    ["Please try again in 14h29m11.04s.", 52_151_040],
    ["Please try again in 7.66s", 7660],
    ["try again in 20 seconds", 20_000],
  ])("reads %j from the message", (message, ms) => {
    expect(parseBodyHints(JSON.stringify({ error: { message } })).retryDelayMs).toBe(ms);
  });

  it("reads Gemini RetryInfo, QuotaFailure and limit: 0", () => {
    const hints = parseBodyHints(JSON.stringify(geminiError));
    expect(hints.retryDelayMs).toBe(36_500); // the message's 36.5s is more precise than RetryInfo's 36s
    expect(hints.quotaIds).toEqual(["GenerateRequestsPerDayPerProjectPerModel-FreeTier"]);
    expect(hints.limitZero).toBe(true);
    expect(hints.status).toBe("RESOURCE_EXHAUSTED");
    expect(hints.code).toBe("429");
  });

  it("unwraps the array Gemini's OpenAI-compatible endpoint sends", () => {
    const hints = parseBodyHints(JSON.stringify([geminiError]));
    expect(hints.isError).toBe(true);
    expect(hints.retryDelayMs).toBe(36_500);
    expect(hints.quotaIds).toHaveLength(1);
  });

  it("reads OpenRouter metadata headers and limit_source", () => {
    const hints = parseBodyHints(
      JSON.stringify({
        error: {
          code: 429,
          message: "Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000",
          metadata: {
            headers: {
              "X-RateLimit-Limit": "50",
              "X-RateLimit-Remaining": "0",
              "X-RateLimit-Reset": "1788825600000",
            },
            limit_source: "openrouter_free_tier_daily",
          },
        },
      }),
    );
    expect(hints.limitSource).toBe("openrouter_free_tier_daily");
    expect(hints.metadataHeaders).toEqual({
      "X-RateLimit-Limit": "50",
      "X-RateLimit-Remaining": "0",
      "X-RateLimit-Reset": "1788825600000",
    });
  });

  it("reads the retry hint from OpenRouter metadata.raw", () => {
    const raw = JSON.stringify({ error: { message: "Please try again in 2s" } });
    const hints = parseBodyHints(JSON.stringify({ error: { code: 429, metadata: { raw } } }));
    expect(hints.retryDelayMs).toBe(2000);
  });

  it("reads Cerebras' top-level error", () => {
    const hints = parseBodyHints(
      JSON.stringify({
        message: "Tokens per minute limit exceeded - too many tokens processed.",
        type: "too_many_requests_error",
        param: "quota",
        code: "request_quota_exceeded",
      }),
    );
    expect(hints).toMatchObject({
      isError: true,
      type: "too_many_requests_error",
      code: "request_quota_exceeded",
    });
  });

  it("reads Anthropic's spend-cap error code", () => {
    const hints = parseBodyHints(
      JSON.stringify({
        type: "error",
        error: {
          type: "rate_limit_error",
          message: "You have reached your specified API usage limits.",
          details: { error_code: "enforced_spend_limit_reached" },
        },
      }),
    );
    expect(hints.type).toBe("rate_limit_error");
    expect(hints.errorCode).toBe("enforced_spend_limit_reached");
  });

  it("reads Cloudflare errors[].code", () => {
    const hints = parseBodyHints(
      JSON.stringify({ success: false, errors: [{ code: 3036, message: "daily limit" }] }),
    );
    expect(hints.cloudflareCodes).toEqual([3036]);
    expect(hints.message).toBe("daily limit");
  });

  it("reads NVIDIA {status,title}", () => {
    const hints = parseBodyHints(JSON.stringify({ status: 429, title: "Too Many Requests" }));
    expect(hints).toMatchObject({ isError: true, status: "Too Many Requests", code: "429" });
    expect(looksRateLimited(hints)).toBe(true);
  });

  it("treats an xAI bare JSON string as the error message", () => {
    const hints = parseBodyHints('"Rate limit exceeded, please slow down"');
    expect(hints).toMatchObject({
      isError: true,
      message: "Rate limit exceeded, please slow down",
    });
    expect(looksRateLimited(hints)).toBe(true);
  });

  it.each([
    ["HTML", "<html><body><h1>502 Bad Gateway</h1></body></html>"],
    ["empty", ""],
    ["truncated JSON", '{"error":{"message":"x'],
  ])("tolerates a %s body", (_kind, body) => {
    const hints = parseBodyHints(body);
    expect(hints.json).toBeUndefined();
    expect(hints.isError).toBe(false);
    expect(hints.message).toBeUndefined();
  });

  it("does not treat a completion as an error", () => {
    const hints = parseBodyHints(JSON.stringify({ id: "x", choices: [], usage: {} }));
    expect(hints.isError).toBe(false);
  });
});
