import { entryScopeId, providerScopeId, type QuotaKeys } from "./keys";
import type { RawAcquireResult } from "./memory/acquire";
import { skipDetailOf } from "./plan";
import type { AcquireRequest, AcquireResult, EntryPolicy, SkippedEntry } from "./types";

/** A script's skipped entries: cjson encodes an empty Lua table as {} and omits nil fields. */
export function skippedOf(raw: RawAcquireResult): RawAcquireResult["skipped"] {
  return Array.isArray(raw.skipped) ? raw.skipped : [];
}

/** Turns a script's answer into an AcquireResult; shared so both stores shape it identically. */
export function toAcquireResult(
  raw: RawAcquireResult,
  req: AcquireRequest,
  leaseId: string,
  now: number,
  reservedTokens: number,
): AcquireResult {
  const skipped: SkippedEntry[] = skippedOf(raw).map((s) => {
    const e = req.entries[s.index];
    return {
      index: s.index,
      reason: s.reason,
      until: s.until ?? null,
      detail: s.detail ?? (e ? skipDetailOf(e, s.reason, s) : ""),
    };
  });
  const entry = req.entries[raw.index];
  if (raw.index >= 0 && entry) {
    return {
      ok: true,
      lease: {
        id: leaseId,
        index: raw.index,
        entry,
        acquiredAt: now,
        reservedTokens,
        holds: { probe: raw.probe === true, headerReservation: raw.hwr === true },
      },
      skipped,
    };
  }
  let retryAt: number | null = null;
  for (const s of skipped) {
    if (s.until !== null && (retryAt === null || s.until < retryAt)) retryAt = s.until;
  }
  return { ok: false, skipped, retryAt };
}

/** Everything clearCooldown removes: cooldowns at both scopes, streaks, breaker, header windows. */
export function clearCooldownKeys(
  keysOf: QuotaKeys,
  entry: Pick<EntryPolicy, "provider" | "model">,
): string[] {
  const pid = providerScopeId(entry.provider);
  const eid = entryScopeId(entry.provider, entry.model);
  return [
    keysOf.cooldown(pid),
    keysOf.cooldown(eid),
    keysOf.streak(pid),
    keysOf.streak(eid),
    keysOf.circuit(eid),
    keysOf.probe(eid),
    keysOf.headerWindows(pid),
    keysOf.headerWindows(eid),
    keysOf.headerReservations(pid),
    keysOf.headerReservations(eid),
  ];
}
