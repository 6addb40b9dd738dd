import type {
  BurnRate,
  Capacity,
  ChainKind,
  ChainLedger,
  EntryLedger,
  EntryState,
  LimitUnit,
  WindowLedger,
} from "@429chain/contracts";
import { windowPeriod } from "./window-period";

export interface LedgerEntryInput {
  label: string;
  state: EntryState;
  burn: { entry: BurnRate; provider: BurnRate };
  /** False when the gateway would never call it (its key is still a placeholder). */
  usable: boolean;
}

export interface LedgerChainInput {
  name: string;
  kind: ChainKind | null;
  /** Labels of its entries, in order. */
  entries: readonly string[];
}

const SERVING = new Set<EntryState["status"]>(["available", "tracking"]);

/** A cooldown this long counts the entry out for the day (credit, auth, daily quota). */
const OUT_FOR_THE_DAY_MS = 3_600_000;

function perMinute(burn: BurnRate, unit: LimitUnit): number {
  return unit === "requests" ? burn.requestsPerMinute : burn.tokensPerMinute;
}

/** What is left in one entry's windows, how fast it goes and when each runs out. */
export function entryLedger(input: LedgerEntryInput, now: number): EntryLedger {
  const { state, burn } = input;
  const windows: WindowLedger[] = state.windows.map((w) => {
    const period = windowPeriod(w, now);
    const rate = perMinute(w.scope === "provider" ? burn.provider : burn.entry, w.unit);
    let runsOutAt: number | null = null;
    if (w.resetAt !== null && w.remaining <= 0) runsOutAt = now;
    else if (w.resetAt !== null && rate > 0) {
      const at = now + Math.round((w.remaining / rate) * 60_000);
      if (at < w.resetAt) runsOutAt = at;
    }
    return { ...w, period, burnPerMinute: rate, runsOutAt };
  });
  const runsOut = windows.flatMap((w) => (w.runsOutAt === null ? [] : [w.runsOutAt]));
  const { windows: _, ...rest } = state;
  return {
    ...rest,
    label: input.label,
    burn,
    windows,
    runsOutAt: runsOut.length > 0 ? Math.min(...runsOut) : null,
  };
}

type Kind = keyof Capacity;

/** The tightest remaining of one scope's windows of a unit and kind (Infinity: none known). */
function tightest(
  entry: EntryLedger,
  scope: "provider" | "entry",
  unit: LimitUnit,
  kind: Kind,
): number {
  let min = Number.POSITIVE_INFINITY;
  for (const w of entry.windows) {
    if (w.scope !== scope || w.unit !== unit || w.resetAt === null) continue;
    if (kind !== "now" && w.period !== kind) continue;
    min = Math.min(min, w.remaining);
  }
  return min;
}

function counts(entry: EntryLedger, usable: boolean, kind: Kind, now: number): boolean {
  if (!usable || entry.status === "auth_failed") return false;
  if (kind === "now") return SERVING.has(entry.status);
  if (entry.cooldownUntil === null || SERVING.has(entry.status)) return true;
  // Cooling down on a minute window still leaves its day; a long cooldown does not.
  return kind === "minute" || entry.cooldownUntil - now < OUT_FOR_THE_DAY_MS;
}

/**
 * A chain's capacity of one unit and kind: per provider account, the smaller of the
 * account's own window and the sum of its entries' (entries of one account share its
 * windows), summed over accounts. null when an entry that counts has no known limit.
 */
function capacity(
  entries: readonly { ledger: EntryLedger; usable: boolean }[],
  unit: LimitUnit,
  kind: Kind,
  now: number,
): number | null {
  const accounts = new Map<string, { shared: number; sum: number }>();
  for (const { ledger, usable } of entries) {
    if (!counts(ledger, usable, kind, now)) continue;
    const account = accounts.get(ledger.provider) ?? {
      shared: tightest(ledger, "provider", unit, kind),
      sum: 0,
    };
    account.sum += tightest(ledger, "entry", unit, kind);
    accounts.set(ledger.provider, account);
  }
  let total = 0;
  for (const { shared, sum } of accounts.values()) total += Math.min(shared, sum);
  return Number.isFinite(total) ? total : null;
}

function sumBurn(entries: readonly { ledger: EntryLedger }[]): BurnRate {
  let requestsPerMinute = 0;
  let tokensPerMinute = 0;
  for (const { ledger } of entries) {
    requestsPerMinute += ledger.burn.entry.requestsPerMinute;
    tokensPerMinute += ledger.burn.entry.tokensPerMinute;
  }
  return { requestsPerMinute, tokensPerMinute };
}

/**
 * When the chain's day capacity runs out at its current rate: requests and tokens alike,
 * whichever first, if that is before the first of its day windows resets (which brings
 * capacity back); null when unknown or not before then.
 */
function exhaustedAt(
  day: { requests: number | null; tokens: number | null },
  burn: BurnRate,
  resets: ChainLedger["resets"],
  now: number,
): number | null {
  const firstDayReset = resets.find((r) => r.period === "day")?.at ?? Number.POSITIVE_INFINITY;
  let at = Number.POSITIVE_INFINITY;
  for (const [left, rate] of [
    [day.requests, burn.requestsPerMinute],
    [day.tokens, burn.tokensPerMinute],
  ] as const) {
    if (left === null) continue;
    if (left <= 0) at = now;
    else if (rate > 0) at = Math.min(at, now + Math.round((left / rate) * 60_000));
  }
  return at < firstDayReset ? at : null;
}

export function chainLedger(
  chain: LedgerChainInput,
  byLabel: ReadonlyMap<string, { ledger: EntryLedger; usable: boolean }>,
  now: number,
): ChainLedger {
  const entries = chain.entries.flatMap((label) => byLabel.get(label) ?? []);
  const active = entries.find((e) => e.usable && SERVING.has(e.ledger.status));
  const cap = (unit: LimitUnit): Capacity => ({
    now: capacity(entries, unit, "now", now),
    minute: capacity(entries, unit, "minute", now),
    day: capacity(entries, unit, "day", now),
  });
  const requests = cap("requests");
  const tokens = cap("tokens");
  const resets: ChainLedger["resets"] = [];
  const seen = new Set<string>();
  for (const { ledger } of entries) {
    for (const w of ledger.windows) {
      if (w.resetAt === null || w.resetAt <= now) continue;
      // A provider-wide window is listed once, under the first entry that shares it.
      const id =
        w.scope === "provider" ? `${ledger.provider}|${w.name}` : `${ledger.label}|${w.name}`;
      if (seen.has(id)) continue;
      seen.add(id);
      resets.push({ entry: ledger.label, window: w.name, period: w.period, at: w.resetAt });
    }
  }
  resets.sort((a, b) => a.at - b.at);
  const burn = sumBurn(entries);
  let availableAt: number | null = null;
  if (!active) {
    const back = entries.flatMap(({ ledger, usable }) =>
      usable && ledger.cooldownUntil !== null ? [ledger.cooldownUntil] : [],
    );
    availableAt = back.length > 0 ? Math.min(...back) : null;
  }
  return {
    name: chain.name,
    kind: chain.kind,
    entries: [...chain.entries],
    activeEntry: active?.ledger.label ?? null,
    capacity: { requests, tokens },
    burn,
    resets,
    exhaustedAt: exhaustedAt({ requests: requests.day, tokens: tokens.day }, burn, resets, now),
    availableAt,
  };
}
