import type { RateLimitWindow } from "@429chain/contracts";
import { parseWindows, type WindowSpec } from "../common/rate-limit-windows";
import type { HeaderMap } from "../types";

// OpenRouter: X-RateLimit-{Limit,Remaining,Reset}, reset in epoch milliseconds; the window is
// the account's request quota (per minute or the free-tier day), not one model's.
const OPENROUTER_WINDOW_SPECS: readonly WindowSpec[] = [
  {
    name: "requests",
    unit: "requests",
    limitHeader: "x-ratelimit-limit",
    remainingHeader: "x-ratelimit-remaining",
    resetHeader: "x-ratelimit-reset",
  },
];

export function parseOpenRouterRateLimitHeaders(
  headers: HeaderMap,
  now: number,
): RateLimitWindow[] {
  return parseWindows(headers, now, OPENROUTER_WINDOW_SPECS);
}
