import type { FakeResponse } from "./types";

// Bodies and headers follow /work/shared/provider-limits.md and real responses quoted in
// public bug reports; ids and organisations are made up.

function openaiError(message: string, type: string, code: string | null) {
  return { error: { message, type, param: null, code } };
}

interface OpenAIRateLimitOptions {
  retryAfterS?: number;
  /** Go duration until the request window is fully refilled. */
  resetRequests?: string;
  message?: string;
}

export function openaiRateLimited(options: OpenAIRateLimitOptions = {}): FakeResponse {
  const headers: Record<string, string> = {
    "x-ratelimit-limit-requests": "60",
    "x-ratelimit-remaining-requests": "0",
    "x-ratelimit-reset-requests": options.resetRequests ?? "1s",
    "x-ratelimit-limit-tokens": "150000",
    "x-ratelimit-remaining-tokens": "149984",
    "x-ratelimit-reset-tokens": "6ms",
    "x-should-retry": "true",
  };
  if (options.retryAfterS !== undefined) {
    headers["retry-after"] = String(options.retryAfterS);
    headers["retry-after-ms"] = String(Math.round(options.retryAfterS * 1000));
  }
  const message =
    options.message ??
    "Rate limit reached for gpt-4o-mini in organization org-fake on requests per min (RPM): Limit 60, Used 60, Requested 1. Please try again in 1s.";
  return { status: 429, headers, body: openaiError(message, "requests", "rate_limit_exceeded") };
}

interface GroqRateLimitOptions {
  /** Integer seconds, as Groq sends it. */
  retryAfterS?: number;
  resetTokens?: string;
  /** Groq's requests window is per DAY despite sharing OpenAI's per-minute header name. */
  remainingRequests?: number;
  model?: string;
}

export function groqRateLimited(options: GroqRateLimitOptions = {}): FakeResponse {
  const model = options.model ?? "llama-3.1-8b-instant";
  const resetTokens = options.resetTokens ?? "7.66s";
  const message = `Rate limit reached for model \`${model}\` in organization \`org_fake\` service tier \`on_demand\` on tokens per minute (TPM): Limit 6000, Used 5800, Requested 400. Please try again in ${resetTokens}. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing`;
  return {
    status: 429,
    headers: {
      "retry-after": String(options.retryAfterS ?? 8),
      "x-ratelimit-limit-requests": "14400",
      "x-ratelimit-remaining-requests": String(options.remainingRequests ?? 14370),
      "x-ratelimit-reset-requests": "2m59.56s",
      "x-ratelimit-limit-tokens": "6000",
      "x-ratelimit-remaining-tokens": "0",
      "x-ratelimit-reset-tokens": resetTokens,
    },
    body: openaiError(message, "tokens", "rate_limit_exceeded"),
  };
}

/** Groq tokens-per-day: only the message says "per day"; the wait is hours. */
export function groqDailyTokens(model = "llama-3.3-70b-versatile"): FakeResponse {
  const message = `Rate limit reached for model \`${model}\` in organization \`org_fake\` service tier \`on_demand\` on tokens per day (TPD): Limit 100000, Used 99990, Requested 1000. Please try again in 14h29m11.04s. Need more tokens? Upgrade to Dev Tier today at https://console.groq.com/settings/billing`;
  return {
    status: 429,
    headers: {
      "retry-after": "52152",
      "x-ratelimit-limit-requests": "1000",
      "x-ratelimit-remaining-requests": "912",
      "x-ratelimit-reset-requests": "2h6m43.2s",
      "x-ratelimit-limit-tokens": "12000",
      "x-ratelimit-remaining-tokens": "11000",
      "x-ratelimit-reset-tokens": "5s",
    },
    body: openaiError(message, "tokens", "rate_limit_exceeded"),
  };
}

interface OpenRouterRateLimitOptions {
  /** The free-models-per-day limit (resets at the next UTC midnight) instead of per minute. */
  daily?: boolean;
  /** Clock for the reset epoch; defaults to Date.now(). */
  now?: number;
}

export function openrouterRateLimited(options: OpenRouterRateLimitOptions = {}): FakeResponse {
  const now = options.now ?? Date.now();
  const minute = 60_000;
  const day = 86_400_000;
  const reset = options.daily
    ? Math.ceil((now + 1) / day) * day
    : Math.ceil((now + 1) / minute) * minute;
  const limitHeaders = {
    "X-RateLimit-Limit": options.daily ? "50" : "20",
    "X-RateLimit-Remaining": "0",
    // Epoch milliseconds (unverified in OpenRouter's docs, seen in real responses).
    "X-RateLimit-Reset": String(reset),
  };
  const message = options.daily
    ? "Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day"
    : "Rate limit exceeded: free-models-per-min. ";
  return {
    status: 429,
    headers: limitHeaders,
    body: {
      error: {
        code: 429,
        message,
        metadata: {
          headers: limitHeaders,
          limit_source: options.daily
            ? "openrouter_free_tier_daily"
            : "openrouter_free_tier_minute",
          provider_name: null,
        },
      },
      user_id: "user_fake",
    },
  };
}

/**
 * 402 about this request only: its max_tokens cost more than the credit left, while a
 * smaller request would still be served.
 */
export function openrouterPricedOut(requested = 4096, affordable = 1000): FakeResponse {
  return {
    status: 402,
    body: {
      error: {
        code: 402,
        message: `This request requires more credits, or fewer max_tokens. You requested up to ${requested} tokens, but can only afford ${affordable}. To increase, visit https://openrouter.ai/settings/credits and upgrade to a paid account`,
        metadata: {},
      },
      user_id: "user_fake",
    },
  };
}
