import type { EntryState, LimitScope, QuotaWindowState } from "@429chain/contracts";
import { entryScopeId, providerScopeId, type QuotaKeys } from "./keys";
import { burnRateOf, parseBurn } from "./ledger/burn-rate";
import { bucketOf, slidingUsed, type WindowedLimit, windowedLimitsOf } from "./limits";
import type { StoredReservation, StoredWindow } from "./memory/acquire";
import type { EntryPolicy } from "./types";

/** Plain reads; both stores run the same list (Redis as one pipeline) and share the decoding. */
export type StateRead =
  | { op: "hgetall"; key: string }
  | { op: "get"; key: string }
  /** ZCOUNT key (min +inf: leases not yet expired. */
  | { op: "zcount"; key: string; min: number };

export type ReadResult = Record<string, string> | string | number | null;

const READS_PER_ENTRY = 10;

export function planStateReads(keysOf: QuotaKeys, entries: readonly EntryPolicy[], now: number) {
  const reads: StateRead[] = [];
  for (const e of entries) {
    const pid = providerScopeId(e.provider);
    const eid = entryScopeId(e.provider, e.model);
    reads.push(
      { op: "hgetall", key: keysOf.cooldown(pid) },
      { op: "hgetall", key: keysOf.cooldown(eid) },
      { op: "hgetall", key: keysOf.circuit(eid) },
      { op: "hgetall", key: keysOf.headerWindows(e.headerScope === "provider" ? pid : eid) },
      { op: "zcount", key: keysOf.inFlight(pid), min: now },
      { op: "zcount", key: keysOf.inFlight(eid), min: now },
      { op: "get", key: keysOf.probe(eid) },
      {
        op: "hgetall",
        key: keysOf.headerReservations(e.headerScope === "provider" ? pid : eid),
      },
      { op: "hgetall", key: keysOf.burn(eid) },
      { op: "hgetall", key: keysOf.burn(pid) },
    );
    for (const m of windowedLimitsOf(e)) {
      const id = m.scope === "provider" ? pid : eid;
      const bucket = bucketOf(now, m.windowMs);
      reads.push(
        { op: "get", key: keysOf.manualBucket(id, m.name, bucket) },
        { op: "get", key: keysOf.manualBucket(id, m.name, bucket - 1) },
      );
    }
  }
  return reads;
}

const asHash = (r: ReadResult) => (r && typeof r === "object" ? r : {});
const asNumber = (r: ReadResult) => Number(r ?? 0) || 0;

interface ActiveCooldown {
  untilAt: number;
  kind: string;
  reason: string;
}

function manualWindows(
  limits: WindowedLimit[],
  counts: ReadResult[],
  now: number,
): { windows: QuotaWindowState[]; used: boolean } {
  let used = false;
  const windows = limits.map((m, i) => {
    const start = bucketOf(now, m.windowMs) * m.windowMs;
    const u = slidingUsed(
      asNumber(counts[2 * i + 1] ?? null),
      asNumber(counts[2 * i] ?? null),
      now - start,
      m.windowMs,
    );
    if (u > 0) used = true;
    return {
      name: `manual:${m.name}`,
      source: "manual" as const,
      scope: m.scope,
      unit: m.unit,
      limit: m.limit,
      remaining: Math.max(0, Math.floor(m.limit - u + 1e-9)),
      resetAt: start + m.windowMs,
    };
  });
  return { windows, used };
}

function decodeEntry(e: EntryPolicy, r: ReadResult[], now: number): EntryState {
  const cooldowns: ActiveCooldown[] = [];
  for (const raw of [r[0], r[1]]) {
    const c = asHash(raw ?? null);
    const untilAt = Number(c.untilAt ?? 0);
    if (untilAt > now) cooldowns.push({ untilAt, kind: c.kind ?? "", reason: c.reason ?? "" });
  }
  const cb = asHash(r[2] ?? null);
  const hw = asHash(r[3] ?? null);
  const inFlight = { provider: asNumber(r[4] ?? null), entry: asNumber(r[5] ?? null) };

  const held = Object.values(asHash(r[7] ?? null))
    .map((raw) => JSON.parse(raw) as StoredReservation)
    .filter((x) => x.x > now);
  const headerWindows: QuotaWindowState[] = [];
  let exhaustedUntil = 0;
  let exhaustedName = "";
  for (const name of Object.keys(hw).sort()) {
    const w = JSON.parse(hw[name]!) as StoredWindow;
    if (w.t <= now) continue;
    // What the upstream last reported, less what requests sent since still hold.
    let remaining = w.r;
    for (const x of held) {
      if (x.a >= (w.a ?? 0)) remaining -= w.u === "tokens" ? Math.min(x.e, w.l ?? x.e) : 1;
    }
    remaining = Math.max(0, remaining);
    headerWindows.push({
      name: `header:${name}`,
      source: "header",
      scope: e.headerScope,
      unit: w.u,
      limit: w.l ?? null,
      remaining,
      resetAt: w.t,
    });
    if (remaining <= 0 && w.t > exhaustedUntil) {
      exhaustedUntil = w.t;
      exhaustedName = name;
    }
  }

  const manual = manualWindows(windowedLimitsOf(e), r.slice(READS_PER_ENTRY), now);
  const concurrency: QuotaWindowState[] = [];
  for (const [scope, limits] of [
    ["provider", e.providerLimits],
    ["entry", e.modelLimits],
  ] as [LimitScope, EntryPolicy["providerLimits"]][]) {
    const limit = limits?.concurrentRequests;
    if (limit === undefined) continue;
    concurrency.push({
      name: "manual:concurrentRequests",
      source: "manual",
      scope,
      unit: "requests",
      limit,
      remaining: Math.max(0, limit - inFlight[scope]),
      resetAt: null,
    });
  }

  const latest = cooldowns.reduce<ActiveCooldown | null>(
    (a, c) => (a === null || c.untilAt > a.untilAt ? c : a),
    null,
  );
  const auth = cooldowns.find((c) => c.kind === "auth_failed");
  const describe = (c: ActiveCooldown) => `${c.kind}: ${c.reason}`;
  let status: EntryState["status"] = "available";
  let reason: string | null = null;
  let cooldownUntil: number | null = latest?.untilAt ?? null;
  if (auth) {
    status = "auth_failed";
    reason = describe(auth);
  } else if (cb.state === "open" || cooldowns.some((c) => c.kind === "circuit_open")) {
    status = "circuit_open";
    const probing = typeof r[6] === "string" && Number(r[6].split("|")[1]) > now;
    reason = latest
      ? describe(latest)
      : `circuit half-open: ${probing ? "probe in flight" : "waiting for a probe"}`;
  } else if (latest) {
    status = "cooling_down";
    reason = describe(latest);
  } else if (exhaustedUntil > 0) {
    status = "cooling_down";
    reason = `header:${exhaustedName} exhausted`;
    cooldownUntil = exhaustedUntil;
  } else if (headerWindows.length > 0 || manual.used || inFlight.entry > 0) {
    status = "tracking";
  }

  return {
    provider: e.provider,
    model: e.model,
    status,
    cooldownUntil,
    reason,
    consecutiveFailures: Number(cb.fails ?? 0),
    inFlight: inFlight.entry,
    windows: [...headerWindows, ...manual.windows, ...concurrency],
    burn: {
      entry: burnRateOf(parseBurn(asHash(r[8] ?? null)), now),
      provider: burnRateOf(parseBurn(asHash(r[9] ?? null)), now),
    },
  };
}

/** Splits the flat read results (in planStateReads order) back per entry. */
export function decodeEntryStates(
  entries: readonly EntryPolicy[],
  results: ReadResult[],
  now: number,
): EntryState[] {
  let at = 0;
  return entries.map((e) => {
    const n = READS_PER_ENTRY + 2 * windowedLimitsOf(e).length;
    const slice = results.slice(at, at + n);
    at += n;
    return decodeEntry(e, slice, now);
  });
}
