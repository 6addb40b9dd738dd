const UNIT_MS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  µs: 0.001,
  ns: 0.000_001,
};

// `ms` must be tried before `m` (and `us`/`ns` before `s`), or "12ms" reads as 12 minutes.
const TOKEN = /(\d+(?:\.\d*)?|\.\d+)(ms|us|µs|ns|h|m|s)/y;
const BARE_NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * Parses a Go-style duration as sent by OpenAI and Groq (`6m0s`, `12ms`, `14h29m11.04s`).
 * A bare number is seconds. Returns whole milliseconds, or undefined for anything else.
 */
export function parseDuration(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (BARE_NUMBER.test(text)) return Math.round(Number(text) * 1000);
  let total = 0;
  let pos = 0;
  while (pos < text.length) {
    TOKEN.lastIndex = pos;
    const match = TOKEN.exec(text);
    if (!match) return undefined;
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    pos = TOKEN.lastIndex;
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}
