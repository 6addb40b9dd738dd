/**
 * A wait in Go's `time.Duration` text as Groq and OpenAI send it (`2m59.56s`, `7.66s`,
 * `120ms`, `0s`): hours and minutes as integers, seconds with up to two decimals, sub-second
 * waits in whole milliseconds. Rounds up so a client waiting the printed time is never early.
 */
export function formatGoDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms));
  if (total === 0) return "0s";
  if (total < 1000) return `${total}ms`;
  const centis = Math.ceil(total / 10);
  const hours = Math.floor(centis / 360_000);
  const minutes = Math.floor((centis % 360_000) / 6_000);
  const seconds = (centis % 6_000) / 100;
  const h = hours > 0 ? `${hours}h` : "";
  const m = hours > 0 || minutes > 0 ? `${minutes}m` : "";
  return `${h}${m}${Number(seconds.toFixed(2))}s`;
}
