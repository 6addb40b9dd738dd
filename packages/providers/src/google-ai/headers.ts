import type { RateLimitWindow } from "@429chain/contracts";
import type { HeaderMap } from "../types";

/** Gemini (native and OpenAI-compatible) sends no rate-limit headers; the wait is in the body. */
export function parseGoogleAiRateLimitHeaders(
  _headers: HeaderMap,
  _now: number,
): RateLimitWindow[] {
  return [];
}
