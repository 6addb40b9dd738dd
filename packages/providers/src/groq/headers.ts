import type { RateLimitWindow } from "@429chain/contracts";
import { parseWindows, type WindowSpec } from "../common/rate-limit-windows";
import type { HeaderMap } from "../types";

// Groq reuses OpenAI's header names, but `…-requests` counts requests PER DAY while
// `…-tokens` counts tokens per minute (console.groq.com/docs/rate-limits).
const GROQ_WINDOW_SPECS: readonly WindowSpec[] = [
  {
    name: "requests-day",
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
];

export function parseGroqRateLimitHeaders(headers: HeaderMap, now: number): RateLimitWindow[] {
  return parseWindows(headers, now, GROQ_WINDOW_SPECS);
}
