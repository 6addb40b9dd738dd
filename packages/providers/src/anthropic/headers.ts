import type { RateLimitWindow } from "@429chain/contracts";
import { parseWindows, type WindowSpec } from "../common/rate-limit-windows";
import type { HeaderMap } from "../types";

/**
 * Anthropic's `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,
 * remaining,reset}`: integers (token counts rounded to 1000), resets as RFC 3339 timestamps.
 * Requests, input and output tokens are separate windows; `tokens` is the most restrictive of
 * the token windows. Its OpenAI-compatible endpoint sends them too (generic-openai reads them).
 */
export const ANTHROPIC_WINDOW_SPECS: readonly WindowSpec[] = (
  [
    ["requests", "requests"],
    ["tokens", "tokens"],
    ["input-tokens", "tokens"],
    ["output-tokens", "tokens"],
  ] as const
).map(([name, unit]) => ({
  name: `anthropic-${name}`,
  unit,
  limitHeader: `anthropic-ratelimit-${name}-limit`,
  remainingHeader: `anthropic-ratelimit-${name}-remaining`,
  resetHeader: `anthropic-ratelimit-${name}-reset`,
}));

export function parseAnthropicRateLimitHeaders(headers: HeaderMap, now: number): RateLimitWindow[] {
  return parseWindows(headers, now, ANTHROPIC_WINDOW_SPECS);
}
