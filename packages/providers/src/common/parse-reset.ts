import { parseDuration } from "./parse-duration";

const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;
// HTTP-date (RFC 9110), e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
const HTTP_DATE = /^[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} /;

/**
 * Resolves a reset value in any form providers use to an absolute epoch ms, clamped to ≥ now
 * (a reset in the past is clock skew, not a reason to retry before now):
 * - bare number: > 1e12 epoch ms (OpenRouter), > 1e9 epoch s, else delta seconds (Cerebras
 *   `33011.38`);
 * - Go duration delta (OpenAI, Groq `2m59.56s`);
 * - RFC 3339 (Anthropic `2025-08-21T12:40:59Z`) or HTTP-date.
 */
export function parseResetValue(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  let at: number | undefined;
  if (NUMBER.test(text)) {
    const n = Number(text);
    if (n > 1e12) at = n;
    else if (n > 1e9) at = n * 1000;
    else at = now + n * 1000;
  } else if (ISO_DATE.test(text) || HTTP_DATE.test(text)) {
    const parsed = Date.parse(text);
    at = Number.isNaN(parsed) ? undefined : parsed;
  } else {
    const delta = parseDuration(text);
    at = delta === undefined ? undefined : now + delta;
  }
  if (at === undefined || !Number.isFinite(at)) return undefined;
  return Math.max(now, Math.ceil(at));
}
