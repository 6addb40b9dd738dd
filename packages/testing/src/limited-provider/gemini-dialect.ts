import type { Dialect } from "./dialect";
import type { WindowName, WindowState } from "./limit-ledger";

const QUOTA: Partial<Record<WindowName, { id: string; metric: string }>> = {
  rpm: {
    id: "GenerateRequestsPerMinutePerProjectPerModel-FreeTier",
    metric: "generativelanguage.googleapis.com/generate_content_free_tier_requests",
  },
  rpd: {
    id: "GenerateRequestsPerDayPerProjectPerModel-FreeTier",
    metric: "generativelanguage.googleapis.com/generate_content_free_tier_requests",
  },
  tpm: {
    id: "GenerateContentInputTokensPerModelPerMinute-FreeTier",
    metric: "generativelanguage.googleapis.com/generate_content_free_tier_input_token_count",
  },
};

/**
 * The wait Gemini states: until the latest refusing minute window refills. A per-day
 * violation alone still carries a short delay (the next minute), as real responses do
 * (provider-limits.md): only the QuotaFailure id says the day is gone.
 */
function waitMs(now: number, minuteMs: number, startAt: number, violated: readonly WindowState[]) {
  const minutes = violated.filter((w) => w.period === "minute").map((w) => w.resetAt);
  if (minutes.length > 0) return Math.max(...minutes) - now;
  return startAt + (Math.floor((now - startAt) / minuteMs) + 1) * minuteMs - now;
}

/** Gemini sends no rate-limit headers at all; the wait is in the 429 body only. */
export function createGeminiDialect(minuteMs: number, startAt: number): Dialect {
  return {
    okHeaders: () => ({}),
    rateLimited(ctx, violated) {
      const wait = Math.max(0, waitMs(ctx.now, minuteMs, startAt, violated));
      const lines = violated.map(
        (w) =>
          `* Quota exceeded for metric: ${QUOTA[w.name]?.metric}, limit: ${w.limit}, model: ${ctx.model}`,
      );
      // The message carries the precise wait; RetryInfo is truncated to whole seconds.
      const message =
        "You exceeded your current quota, please check your plan and billing details. For more " +
        "information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\n" +
        `${lines.join("\n")}\nPlease retry in ${(wait / 1000).toFixed(6)}s.`;
      const violations = violated.map((w) => ({
        quotaMetric: QUOTA[w.name]?.metric,
        quotaId: QUOTA[w.name]?.id,
        quotaDimensions: { location: "global", model: ctx.model },
        quotaValue: String(w.limit),
      }));
      const error = {
        code: 429,
        message,
        status: "RESOURCE_EXHAUSTED",
        details: [
          { "@type": "type.googleapis.com/google.rpc.QuotaFailure", violations },
          {
            "@type": "type.googleapis.com/google.rpc.Help",
            links: [
              {
                description: "Learn more about Gemini API quotas",
                url: "https://ai.google.dev/gemini-api/docs/rate-limits",
              },
            ],
          },
          {
            "@type": "type.googleapis.com/google.rpc.RetryInfo",
            retryDelay: `${Math.floor(wait / 1000)}s`,
          },
        ],
      };
      // The OpenAI-compatible endpoint wraps the native error in a JSON array.
      return { status: 429, body: [{ error }] };
    },
  };
}
