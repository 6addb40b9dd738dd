import type { LimitScope } from "@429chain/contracts";
import { addBurn, burnFields, parseBurn } from "../ledger/burn-rate";
import { type KeyedPlan, policyOf, type SettleSpec } from "../plan";
import { rules } from "../rules/compile";
import { COOLDOWN_KIND as KIND, SETTLE_OUTCOME as OUTCOME } from "../rules/table";
import type { StoredWindow } from "./acquire";
import type { MemoryKv } from "./kv";

const SCOPES: readonly LimitScope[] = ["provider", "entry"];

const { live, laterLive, countsAgainst, ttlTo, after, keepsStoredReport, chargeOf } = rules;
const { remainingAfter, headerKeepMs, streakEndsOnOk, circuitCloses, escalates } = rules;
const { rateLimitBase, rateLimitBackoff, escalationExpiry, quotaExhaustedUntil } = rules;
const { extendsCooldown, midStreamTrips, midStreamDuration, failureCounts, circuitOpens } = rules;
const { circuitDuration } = rules;

/**
 * The in-process twin of SETTLE_SCRIPT: the same key reads and writes in the same order, and
 * every formula and test from rules/table.ts (compiled once, as the script's are generated).
 * Returns cooldownUntil or 0.
 */
export function runSettle(kv: MemoryKv, { keys, spec }: KeyedPlan<SettleSpec>): number {
  const key = (i: number) => keys[i - 1]!;
  const { now, outcome: o } = spec;

  const setCooldown = (k: string, untilAt: number, kind: string, reason = "") => {
    if (!live(untilAt, now)) return;
    const cur = Number(kv.hget(k, "untilAt") ?? "0");
    if (!extendsCooldown(cur, untilAt, now)) return;
    kv.hset(k, { untilAt: String(untilAt), kind, reason });
    kv.pexpire(k, ttlTo(untilAt, now));
  };

  for (const k of spec.inf) kv.zrem(key(k), spec.lease);
  // What acquire stored under the lease's id: only looked for where it may be (Lease.holds).
  if (spec.holds.probe) {
    const probe = kv.get(key(spec.probe));
    if (probe?.startsWith(`${spec.lease}|`)) kv.del(key(spec.probe));
  }

  for (const t of spec.adjust) {
    if (live(t.exp, now)) {
      if (kv.incrby(key(t.key), t.delta) < 0) kv.set(key(t.key), "0", undefined, true);
      if (kv.pttl(key(t.key)) < 0) kv.pexpire(key(t.key), ttlTo(t.exp, now));
    }
  }

  // Header windows: a fresh report replaces the stored one; a window it does not freshly
  // report is charged what this attempt used, if the stored report cannot have counted it.
  if (spec.holds.hwr) kv.hdel(key(spec.hwr), spec.lease);
  const hwKey = key(spec.hw);
  const reported = new Set<string>();
  const shown = spec.windows.filter((w) => live(w.t, now));
  if (shown.length > 0) {
    // One read for every reported window and one write for the fresh ones; a name reported
    // twice sees its first write, as it would reading and writing one at a time.
    const olds = kv.hmget(hwKey, ...shown.map((w) => w.n));
    const written: Record<string, string> = {};
    for (const [i, w] of shown.entries()) {
      const raw = written[w.n] ?? olds[i];
      if (raw) {
        const old = JSON.parse(raw) as StoredWindow;
        if (keepsStoredReport(old.t, old.a, spec.acquiredAt, w.t, now)) continue;
      }
      const fresh: StoredWindow = { u: w.u, l: w.l, r: w.r, t: w.t, a: spec.acquiredAt };
      written[w.n] = JSON.stringify(fresh);
      reported.add(w.n);
    }
    if (reported.size > 0) kv.hset(hwKey, written);
  }
  const used = spec.consumed;
  // The latest reset of the stored windows, when this settle already read them all.
  let maxT: number | null = null;
  if (used.requests > 0) {
    const writes: Record<string, string> = {};
    maxT = now;
    for (const [name, raw] of Object.entries(kv.hgetall(hwKey))) {
      const w = JSON.parse(raw) as StoredWindow;
      // Charging changes what is left of a window, never when it resets.
      if (w.t > maxT) maxT = w.t;
      if (!reported.has(name) && live(w.t, now) && countsAgainst(spec.acquiredAt, w.a)) {
        w.r = remainingAfter(w.r, chargeOf(w.u, used.requests, used.tokens));
        writes[name] = JSON.stringify(w);
      }
    }
    if (Object.keys(writes).length > 0) kv.hset(hwKey, writes);
  }
  if (used.requests > 0) {
    for (const bk of spec.burn.keys) {
      const prev = parseBurn(kv.hgetall(key(bk)));
      const next = addBurn(prev, now, used.tokens, used.requests, spec.burn.tau);
      kv.hset(key(bk), burnFields(next));
      kv.pexpire(key(bk), spec.burn.ttl);
    }
  }
  if (reported.size > 0) {
    if (maxT === null) {
      maxT = now;
      for (const raw of Object.values(kv.hgetall(hwKey))) {
        const t = (JSON.parse(raw) as StoredWindow).t;
        if (t > maxT) maxT = t;
      }
    }
    // Kept past the last reset: the scope is known to report windows (see acquire).
    kv.pexpire(hwKey, headerKeepMs(maxT, now));
  }

  if (o.kind === OUTCOME.ok) {
    for (const scope of SCOPES) {
      const k = key(spec.streak[scope]);
      const at = Number(kv.hget(k, "at") ?? "-1");
      if (streakEndsOnOk(at, spec.acquiredAt)) kv.del(k);
    }
    const [state, openedAt, fails, msf] = kv.hmget(
      key(spec.cb),
      "state",
      "openedAt",
      "fails",
      "msf",
    );
    if (state === "open") {
      if (circuitCloses(spec.acquiredAt, Number(openedAt))) kv.del(key(spec.cb));
    } else if (fails !== null || msf !== null) {
      kv.hset(key(spec.cb), { fails: "0", msf: "0" });
    }
  } else if (o.kind === OUTCOME.rate_limited && o.scope) {
    const p = policyOf(spec);
    const k = key(spec.streak[o.scope]);
    const s = kv.hgetall(k);
    let n = Number(s.n ?? "0");
    let at = Number(s.at ?? "-1");
    if (!live(Number(s.exp ?? "0"), now)) {
      n = 0;
      at = -1;
    }
    if (escalates(spec.acquiredAt, at)) {
      n += 1;
      at = now;
    }
    if (n < 1) n = 1;
    const base = rateLimitBase(o.retryAt, now, p.rateLimitBaseMs, p.rateLimitMinMs);
    const dur = rateLimitBackoff(base, n, p.rateLimitMaxMs);
    const exp = escalationExpiry(now, dur, p.rateLimitMaxMs);
    kv.hset(k, { n: String(n), at: String(at), exp: String(exp) });
    kv.pexpire(k, ttlTo(exp, now));
    setCooldown(key(spec.cd[o.scope]), after(now, dur), KIND.rate_limited, o.reason);
  } else if (o.kind === OUTCOME.quota_exhausted && o.scope) {
    const p = policyOf(spec);
    const untilAt = quotaExhaustedUntil(o.retryAt, now, p.creditMs, p.rateLimitMinMs);
    setCooldown(key(spec.cd[o.scope]), untilAt, KIND.quota_exhausted, o.reason);
  } else if (o.kind === OUTCOME.auth_failed && o.scope) {
    const p = policyOf(spec);
    setCooldown(key(spec.cd[o.scope]), after(now, p.authFailedMs), KIND.auth_failed, o.reason);
  } else if (o.kind === OUTCOME.failure && o.mid) {
    const p = policyOf(spec);
    const k = key(spec.cb);
    const cb = kv.hgetall(k);
    let msf = Number(cb.msf ?? "0") + 1;
    let trips = Number(cb.trips ?? "0");
    if (!live(Number(cb.tripsExp ?? "0"), now)) trips = 0;
    if (midStreamTrips(msf, p.midStreamThreshold)) {
      const dur = midStreamDuration(trips, p.midStreamBaseMs, p.midStreamMaxMs);
      msf = 0;
      const tripsExp = escalationExpiry(now, dur, p.midStreamMaxMs);
      kv.hset(k, { trips: String(trips + 1), tripsExp: String(tripsExp) });
      setCooldown(key(spec.cd.entry), after(now, dur), KIND.mid_stream, o.reason);
    }
    kv.hset(k, { msf: String(msf) });
    kv.pexpire(k, p.gcMs);
  } else if (o.kind === OUTCOME.failure) {
    const p = policyOf(spec);
    const k = key(spec.cb);
    const cb = kv.hgetall(k);
    const open = cb.state === "open";
    if (failureCounts(open, spec.acquiredAt, Number(cb.openedAt))) {
      const fails = Number(cb.fails ?? "0") + 1;
      if (circuitOpens(open, fails, p.circuitThreshold)) {
        const opens = Number(cb.opens ?? "0") + 1;
        const dur = circuitDuration(opens, p.circuitBaseMs, p.circuitMaxMs);
        kv.hset(k, { state: "open", openedAt: String(now), opens: String(opens) });
        kv.del(key(spec.probe));
        setCooldown(key(spec.cd.entry), after(now, dur), KIND.circuit_open, o.reason);
      }
      kv.hset(k, { fails: String(fails) });
      kv.pexpire(k, p.gcMs);
    }
  }

  let best = 0;
  for (const scope of SCOPES) {
    const u = Number(kv.hget(key(spec.cd[scope]), "untilAt") ?? "0");
    if (laterLive(u, best, now)) best = u;
  }
  return best;
}
