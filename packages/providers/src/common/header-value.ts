import type { HeaderMap } from "../types";

/**
 * Reads one header. Names are matched case-insensitively because OpenRouter's headers copied
 * into `error.metadata.headers` keep their original case (`X-RateLimit-Reset`).
 * A repeated header yields its first value.
 */
export function getHeader(headers: HeaderMap, name: string): string | undefined {
  const lower = name.toLowerCase();
  let value = headers[lower];
  if (value === undefined) {
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === lower) {
        value = headers[key];
        break;
      }
    }
  }
  if (Array.isArray(value)) return value[0];
  return value;
}
