const integer = new Intl.NumberFormat("en-US");
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

export const formatInt = (n: number) => integer.format(Math.round(n));
export const formatCompact = (n: number) => compact.format(n);
/** Micro-dollars as USD: cents for sums, more digits for a single request's fraction of one. */
export function formatUsd(micros: number): string {
  const usd = micros / 1_000_000;
  const digits = Math.abs(usd) >= 1 || usd === 0 ? 2 : 6;
  return `$${usd.toFixed(digits)}`;
}
export const formatPercent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;
export const formatMs = (ms: number | null) =>
  ms === null ? "—" : ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${formatInt(ms)} ms`;

/** UTC, since the rollup buckets are UTC: "2026-01-05 14:00". */
export function formatUtc(d: Date, withSeconds = false): string {
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, withSeconds ? 19 : 16)}`;
}

/** The value a datetime-local input expects, in UTC. */
export const toInputValue = (d: Date) => d.toISOString().slice(0, 16);
