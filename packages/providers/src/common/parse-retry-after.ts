import type { HeaderMap } from "../types";
import { getHeader } from "./header-value";

const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)$/;
// Only a real HTTP-date (RFC 9110) is accepted: V8's Date.parse turns garbage such as
// "soon 1" into a date.
const HTTP_DATE = /^[A-Za-z]{3}, \d{1,2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/**
 * Absolute epoch ms from `retry-after-ms` (OpenAI, milliseconds) or `retry-after` (float
 * seconds or HTTP-date), clamped to ≥ now. Undefined when absent or unparseable.
 */
export function parseRetryAfter(headers: HeaderMap, now: number): number | undefined {
  const ms = getHeader(headers, "retry-after-ms")?.trim();
  if (ms !== undefined && NUMBER.test(ms)) return Math.ceil(now + Number(ms));
  const value = getHeader(headers, "retry-after")?.trim();
  if (value === undefined || value === "") return undefined;
  if (NUMBER.test(value)) return Math.ceil(now + Number(value) * 1000);
  if (!HTTP_DATE.test(value)) return undefined;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(now, date);
}
