import type { ChainLedger, EntryLedger } from "@429chain/contracts";

/** One entry's share of a chain's stacked bar. */
export interface StackSegment {
  label: string;
  /** Requests the entry can serve now (null: no limit known); 0 while it is out. */
  remaining: number | null;
  /** Fraction of the bar, 0..1 (entries with an unknown limit take an equal slice). */
  share: number;
  status: EntryLedger["status"];
}

const SERVING = new Set<EntryLedger["status"]>(["available", "tracking"]);

/** Requests an entry can serve now: its tightest request window, nothing while it is out. */
export function entryRemaining(entry: EntryLedger): number | null {
  if (!SERVING.has(entry.status)) return 0;
  const windows = entry.windows.filter((w) => w.unit === "requests");
  if (windows.length === 0) return null;
  return Math.min(...windows.map((w) => w.remaining));
}

/**
 * The chain's remaining capacity stacked by entry, in chain order. Known counts share the bar
 * by size; an entry whose limit is unknown gets the average known slice (or an equal one).
 */
export function stackOf(
  chain: ChainLedger,
  entries: ReadonlyMap<string, EntryLedger>,
): StackSegment[] {
  const rows = chain.entries.flatMap((label) => {
    const entry = entries.get(label);
    return entry ? [{ label, remaining: entryRemaining(entry), status: entry.status }] : [];
  });
  const known = rows.flatMap((r) => (r.remaining === null ? [] : [r.remaining]));
  const knownTotal = known.reduce((a, b) => a + b, 0);
  const unknownSize = known.length > 0 && knownTotal > 0 ? knownTotal / known.length : 1;
  const sizes = rows.map((r) => (r.remaining === null ? unknownSize : r.remaining));
  const total = sizes.reduce((a, b) => a + b, 0);
  return rows.map((r, i) => ({ ...r, share: total > 0 ? sizes[i]! / total : 0 }));
}

/** The forecast line: the chain's requests left, falling at its burn rate until they are out. */
export interface Forecast {
  from: number;
  to: number;
  /** Requests left now (day windows, else what is servable now); null: not known. */
  start: number | null;
  /** When the line reaches 0: the ledger's exhaustedAt, else at the burn rate; null: never. */
  zeroAt: number | null;
  /** What is left at `to` (0 once out); null when start is. */
  end: number | null;
  /** The ledger's own verdict: when the whole chain is out for the day. */
  exhaustedAt: number | null;
  resets: ChainLedger["resets"];
}

/** The forecast over the next `horizonMs`. */
export function forecastOf(chain: ChainLedger, now: number, horizonMs: number): Forecast {
  const to = now + horizonMs;
  const start = chain.capacity.requests.day ?? chain.capacity.requests.now;
  const perMs = chain.burn.requestsPerMinute / 60_000;
  const exhaustedAt = chain.exhaustedAt;
  const zeroAt =
    exhaustedAt ?? (start !== null && perMs > 0 ? now + Math.round(start / perMs) : null);
  const end =
    start === null
      ? null
      : zeroAt !== null && zeroAt <= to
        ? 0
        : Math.max(0, start - perMs * horizonMs);
  return {
    from: now,
    to,
    start,
    zeroAt,
    end,
    exhaustedAt,
    resets: chain.resets.filter((r) => r.at >= now && r.at <= to),
  };
}
