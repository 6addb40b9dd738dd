import { type Dialect, primaryViolation } from "./dialect";

// 200s carry no rate-limit headers: OpenRouter documents X-RateLimit-* only on errors, so a
// gateway learns this provider's limits from its 429s (or from declared limits).
export const openrouterDialect: Dialect = {
  okHeaders: () => ({}),
  rateLimited(_ctx, violated) {
    const w = primaryViolation(violated);
    const daily = w.period === "day";
    const headers = {
      "X-RateLimit-Limit": String(w.limit),
      "X-RateLimit-Remaining": "0",
      // Epoch milliseconds (seen in real responses, unverified in OpenRouter's docs).
      "X-RateLimit-Reset": String(w.resetAt),
    };
    const message = daily
      ? "Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day"
      : "Rate limit exceeded: free-models-per-min. ";
    return {
      status: 429,
      headers,
      body: {
        error: {
          code: 429,
          message,
          metadata: {
            headers,
            limit_source: daily ? "openrouter_free_tier_daily" : "openrouter_free_tier_minute",
            provider_name: null,
          },
        },
        user_id: "user_fake",
      },
    };
  },
};
