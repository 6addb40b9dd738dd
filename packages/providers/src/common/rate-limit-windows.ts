import type { LimitUnit, RateLimitWindow } from "@429chain/contracts";
import type { HeaderMap } from "../types";
import { getHeader } from "./header-value";
import { parseResetValue } from "./parse-reset";

/** Where one provider window lives in the response headers. */
export interface WindowSpec {
  name: string;
  unit: LimitUnit;
  limitHeader?: string;
  remainingHeader: string;
  resetHeader?: string;
  /** Used when the reset header is absent; Mistral sends no reset for its minute windows. */
  fallbackReset?: "next-minute";
}

const COUNT = /^\d+(?:\.\d+)?$/;

function readCount(headers: HeaderMap, name: string | undefined): number | undefined {
  const value = name ? getHeader(headers, name)?.trim() : undefined;
  return value !== undefined && COUNT.test(value) ? Number(value) : undefined;
}

/**
 * Builds the windows whose headers are present and valid. A missing or garbage header drops
 * the window: absence means "unknown", never "unlimited", and no NaN may reach the quota store.
 */
export function parseWindows(
  headers: HeaderMap,
  now: number,
  specs: readonly WindowSpec[],
): RateLimitWindow[] {
  const windows: RateLimitWindow[] = [];
  for (const spec of specs) {
    const remaining = readCount(headers, spec.remainingHeader);
    if (remaining === undefined) continue;
    let resetAt = spec.resetHeader
      ? parseResetValue(getHeader(headers, spec.resetHeader), now)
      : undefined;
    if (resetAt === undefined && spec.fallbackReset === "next-minute") {
      resetAt = Math.floor(now / 60_000) * 60_000 + 60_000;
    }
    if (resetAt === undefined) continue;
    const limit = readCount(headers, spec.limitHeader);
    const window: RateLimitWindow = { name: spec.name, unit: spec.unit, remaining, resetAt };
    if (limit !== undefined) window.limit = limit;
    windows.push(window);
  }
  return windows;
}

/**
 * The latest reset among exhausted windows: a short minute window must never hide an
 * exhausted daily one (several windows apply at once on Cerebras, Anthropic, Gemini).
 */
export function longestExhaustedReset(
  windows: readonly RateLimitWindow[],
): { resetAt: number; name: string } | undefined {
  let best: { resetAt: number; name: string } | undefined;
  for (const w of windows) {
    if (w.remaining > 0) continue;
    if (!best || w.resetAt > best.resetAt) best = { resetAt: w.resetAt, name: w.name };
  }
  return best;
}
