import type { RateLimitWindow } from "@429chain/contracts";
import { parseWindows, type WindowSpec } from "../common/rate-limit-windows";
import { OPENAI_WINDOW_SPECS } from "../openai/headers";
import type { HeaderMap } from "../types";

// Anthropic's OpenAI-compatible endpoint reports `anthropic-ratelimit-*` windows, resets as
// RFC 3339 timestamps; requests, input and output tokens are separate windows.
const ANTHROPIC_WINDOW_SPECS: readonly WindowSpec[] = (
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

/** Any OpenAI-compatible server: the OpenAI (or Anthropic) header family when it sends one. */
export function parseGenericOpenAiRateLimitHeaders(
  headers: HeaderMap,
  now: number,
): RateLimitWindow[] {
  return parseWindows(headers, now, [...OPENAI_WINDOW_SPECS, ...ANTHROPIC_WINDOW_SPECS]);
}
