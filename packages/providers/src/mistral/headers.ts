import type { RateLimitWindow } from "@429chain/contracts";
import { parseWindows, type WindowSpec } from "../common/rate-limit-windows";
import type { HeaderMap } from "../types";

// Mistral sends limit/remaining per minute but no reset header: the minute window is assumed
// to reset at the next minute boundary.
const MISTRAL_WINDOW_SPECS: readonly WindowSpec[] = [
  {
    name: "tokens-minute",
    unit: "tokens",
    limitHeader: "x-ratelimit-limit-tokens-minute",
    remainingHeader: "x-ratelimit-remaining-tokens-minute",
    resetHeader: "x-ratelimit-reset-tokens-minute",
    fallbackReset: "next-minute",
  },
  {
    name: "requests-minute",
    unit: "requests",
    limitHeader: "x-ratelimit-limit-req-minute",
    remainingHeader: "x-ratelimit-remaining-req-minute",
    resetHeader: "x-ratelimit-reset-req-minute",
    fallbackReset: "next-minute",
  },
];

// The older `ratelimitbysize-*` family (tokens per minute, reset in seconds).
const LEGACY_TOKEN_SPEC: readonly WindowSpec[] = [
  {
    name: "tokens-minute",
    unit: "tokens",
    limitHeader: "ratelimitbysize-limit",
    remainingHeader: "ratelimitbysize-remaining",
    resetHeader: "ratelimitbysize-reset",
    fallbackReset: "next-minute",
  },
];

export function parseMistralRateLimitHeaders(headers: HeaderMap, now: number): RateLimitWindow[] {
  const windows = parseWindows(headers, now, MISTRAL_WINDOW_SPECS);
  if (windows.some((w) => w.name === "tokens-minute")) return windows;
  return [...parseWindows(headers, now, LEGACY_TOKEN_SPEC), ...windows];
}
