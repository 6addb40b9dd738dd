import type { RateLimitWindow } from "@429chain/contracts";
import { ANTHROPIC_WINDOW_SPECS } from "../anthropic/headers";
import { parseWindows } from "../common/rate-limit-windows";
import { OPENAI_WINDOW_SPECS } from "../openai/headers";
import type { HeaderMap } from "../types";

/** Any OpenAI-compatible server: the OpenAI (or Anthropic) header family when it sends one. */
export function parseGenericOpenAiRateLimitHeaders(
  headers: HeaderMap,
  now: number,
): RateLimitWindow[] {
  return parseWindows(headers, now, [...OPENAI_WINDOW_SPECS, ...ANTHROPIC_WINDOW_SPECS]);
}
