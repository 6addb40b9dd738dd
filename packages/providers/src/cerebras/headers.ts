import type { RateLimitWindow } from "@429chain/contracts";
import { parseWindows, type WindowSpec } from "../common/rate-limit-windows";
import type { HeaderMap } from "../types";

// Cerebras names the period in the header and sends resets as float seconds
// (`33011.382867097855`); an "unlimited" limit shows as 1000000000 and is kept as a number.
const CEREBRAS_WINDOW_SPECS: readonly WindowSpec[] = [
  {
    name: "requests-day",
    unit: "requests",
    limitHeader: "x-ratelimit-limit-requests-day",
    remainingHeader: "x-ratelimit-remaining-requests-day",
    resetHeader: "x-ratelimit-reset-requests-day",
  },
  {
    name: "tokens-minute",
    unit: "tokens",
    limitHeader: "x-ratelimit-limit-tokens-minute",
    remainingHeader: "x-ratelimit-remaining-tokens-minute",
    resetHeader: "x-ratelimit-reset-tokens-minute",
  },
];

export function parseCerebrasRateLimitHeaders(headers: HeaderMap, now: number): RateLimitWindow[] {
  return parseWindows(headers, now, CEREBRAS_WINDOW_SPECS);
}
