import type { RateLimitWindow } from "@429chain/contracts";
import { parseWindows, type WindowSpec } from "../common/rate-limit-windows";
import type { HeaderMap } from "../types";

/** OpenAI: per-minute windows, resets as Go durations until the window is fully refilled. */
export const OPENAI_WINDOW_SPECS: readonly WindowSpec[] = [
  {
    name: "requests",
    unit: "requests",
    limitHeader: "x-ratelimit-limit-requests",
    remainingHeader: "x-ratelimit-remaining-requests",
    resetHeader: "x-ratelimit-reset-requests",
  },
  {
    name: "tokens",
    unit: "tokens",
    limitHeader: "x-ratelimit-limit-tokens",
    remainingHeader: "x-ratelimit-remaining-tokens",
    resetHeader: "x-ratelimit-reset-tokens",
  },
  {
    name: "tokens-usage-based",
    unit: "tokens",
    limitHeader: "x-ratelimit-limit-tokens_usage_based",
    remainingHeader: "x-ratelimit-remaining-tokens_usage_based",
    resetHeader: "x-ratelimit-reset-tokens_usage_based",
  },
];

export function parseOpenAiRateLimitHeaders(headers: HeaderMap, now: number): RateLimitWindow[] {
  return parseWindows(headers, now, OPENAI_WINDOW_SPECS);
}
