import type { QuotaWindowState, WindowPeriod } from "@429chain/contracts";

const BY_NAME: [RegExp, WindowPeriod][] = [
  [/(?:-|per)minute$|-min$|PerMinute$/i, "minute"],
  [/(?:-|per)hour$|PerHour$/i, "hour"],
  [/(?:-|per)day$|PerDay$/i, "day"],
];

/**
 * How often a window refills: from its name where the adapter or the manual limit says
 * ("header:requests-day", "manual:tokensPerMinute"), else from how far its reset is, which
 * for a window that does not say is the best there is (OpenAI's per-minute "requests" resets
 * within the minute).
 */
export function windowPeriod(window: QuotaWindowState, now: number): WindowPeriod {
  for (const [pattern, period] of BY_NAME) if (pattern.test(window.name)) return period;
  if (window.resetAt === null) return "other";
  const left = window.resetAt - now;
  if (left <= 65_000) return "minute";
  if (left <= 3_660_000) return "hour";
  return "day";
}
