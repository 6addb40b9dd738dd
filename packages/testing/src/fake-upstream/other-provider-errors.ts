import type { FakeResponse } from "./types";

interface CerebrasRateLimitOptions {
  /** Float seconds until the daily request window resets. */
  resetRequestsDayS?: number;
  remainingRequestsDay?: number;
  /** Float seconds until the minute token window resets. */
  resetTokensMinuteS?: number;
  remainingTokensMinute?: number;
}

/** Cerebras: a top-level error object and day/minute windows with float-second resets. */
export function cerebrasRateLimited(options: CerebrasRateLimitOptions = {}): FakeResponse {
  return {
    status: 429,
    headers: {
      "x-ratelimit-limit-requests-day": "14400",
      "x-ratelimit-remaining-requests-day": String(options.remainingRequestsDay ?? 0),
      "x-ratelimit-reset-requests-day": String(options.resetRequestsDayS ?? 33011.382867097855),
      "x-ratelimit-limit-tokens-minute": "60000",
      "x-ratelimit-remaining-tokens-minute": String(options.remainingTokensMinute ?? 59000),
      "x-ratelimit-reset-tokens-minute": String(options.resetTokensMinuteS ?? 11.382867097855),
    },
    body: {
      message: "Requests per day limit exceeded - too many requests sent.",
      type: "too_many_requests_error",
      param: "quota",
      code: "request_quota_exceeded",
    },
  };
}

interface GeminiRateLimitOptions {
  /** A per-day quota violation (which may still carry a short retryDelay). */
  perDay?: boolean;
  retryDelay?: string;
  /** 0 means the model is not on the free tier at all. */
  limit?: number;
  model?: string;
}

/** Gemini's OpenAI-compatible endpoint: the native error wrapped in a JSON array. */
export function geminiRateLimited(options: GeminiRateLimitOptions = {}): FakeResponse {
  const model = options.model ?? "gemini-2.0-flash";
  const limit = options.limit ?? (options.perDay ? 200 : 15);
  const retryDelay = options.retryDelay ?? "36s";
  const metric = "generativelanguage.googleapis.com/generate_content_free_tier_requests";
  const quotaId = options.perDay
    ? "GenerateRequestsPerDayPerProjectPerModel-FreeTier"
    : "GenerateRequestsPerMinutePerProjectPerModel-FreeTier";
  const message = `You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\n* Quota exceeded for metric: ${metric}, limit: ${limit}, model: ${model}\nPlease retry in ${retryDelay}.`;
  return {
    status: 429,
    body: [
      {
        error: {
          code: 429,
          message,
          status: "RESOURCE_EXHAUSTED",
          details: [
            {
              "@type": "type.googleapis.com/google.rpc.QuotaFailure",
              violations: [
                {
                  quotaMetric: metric,
                  quotaId,
                  quotaDimensions: { location: "global", model },
                  quotaValue: String(limit),
                },
              ],
            },
            {
              "@type": "type.googleapis.com/google.rpc.Help",
              links: [
                {
                  description: "Learn more about Gemini API quotas",
                  url: "https://ai.google.dev/gemini-api/docs/rate-limits",
                },
              ],
            },
            { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay },
          ],
        },
      },
    ],
  };
}

export function serverError(status = 500): FakeResponse {
  return {
    status,
    body: {
      error: {
        message: "The server had an error while processing your request. Sorry about that!",
        type: "server_error",
        param: null,
        code: null,
      },
    },
  };
}
