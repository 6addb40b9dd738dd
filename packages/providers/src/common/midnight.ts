const DAY_MS = 86_400_000;

/** Next 00:00 UTC strictly after `now` (OpenRouter, Cloudflare and most daily caps). */
export function nextMidnightUtc(now: number): number {
  return Math.floor(now / DAY_MS) * DAY_MS + DAY_MS;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function offsetMs(timeZone: string, at: number): number {
  let fmt = formatters.get(timeZone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, fmt);
  }
  const part = (type: string) =>
    Number(fmt.formatToParts(at).find((p) => p.type === type)?.value ?? 0);
  const local = Date.UTC(
    part("year"),
    part("month") - 1,
    part("day"),
    part("hour"),
    part("minute"),
    part("second"),
  );
  return local - (at - (((at % 1000) + 1000) % 1000));
}

/**
 * Next local midnight in an IANA zone, as epoch ms. Gemini daily quotas reset at midnight
 * Pacific time; US DST switches at 02:00, so local midnight is never skipped or doubled.
 */
export function nextMidnightInZone(now: number, timeZone: string): number {
  const offset = offsetMs(timeZone, now);
  const local = new Date(now + offset);
  const nextLocal = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1);
  const guess = nextLocal - offset;
  const corrected = offsetMs(timeZone, guess);
  return corrected === offset ? guess : nextLocal - corrected;
}
