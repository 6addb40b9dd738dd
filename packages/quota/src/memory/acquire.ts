import type { AcquireSpec, EntryPlan, KeyedPlan, SkipRef } from "../plan";
import { rules } from "../rules/compile";
import { CD_REASON, SKIP } from "../rules/table";
import type { SkipReason } from "../types";
import type { MemoryKv } from "./kv";

/** An upstream-reported window as stored: its last report, and as of which attempt's start. */
export interface StoredWindow {
  u: "requests" | "tokens";
  l?: number;
  r: number;
  t: number;
  /** acquiredAt of the attempt whose response reported it; leases after it are not counted. */
  a?: number;
}

/** A lease in flight against the header windows: acquired at, estimated tokens, expires at. */
export interface StoredReservation {
  a: number;
  e: number;
  x: number;
}

/** A skip as the executors report it: its detail, or which check (plan.ts SkipRef). */
export interface RawSkippedEntry extends SkipRef {
  index: number;
  reason: SkipReason;
  until?: number | null;
  detail?: string;
}

export interface RawAcquireResult {
  index: number;
  skipped: RawSkippedEntry[];
  /** The reserved entry's probe was taken (Lease.holds). */
  probe?: boolean;
  /** A header-window reservation was stored (Lease.holds). */
  hwr?: boolean;
}

interface CheckState {
  reason: SkipReason | null;
  detail: string | SkipRef;
  untilAt: number | null;
  probe: boolean;
  /** The scope has reported windows before (its hash exists): record this request against it. */
  hwKnown: boolean;
}

const { live, laterLive, holds, countsAgainst, headerShort, slidingUsed, overLimit, fitAt } = rules;
const { manualBucketTtl, concurrencyLimited, atConcurrency, after } = rules;

/**
 * The in-process twin of ACQUIRE_SCRIPT: the same key reads and writes in the same order, and
 * every formula and test from rules/table.ts (compiled once, as the script's are generated).
 */
export function runAcquire(kv: MemoryKv, { keys, spec }: KeyedPlan<AcquireSpec>): RawAcquireResult {
  const key = (i: number) => keys[i - 1]!;
  const { now, est } = spec;

  const check = (e: EntryPlan): CheckState => {
    const st: CheckState = {
      reason: null,
      detail: "",
      untilAt: null,
      probe: false,
      hwKnown: false,
    };
    const block = (reason: SkipReason, detail: string | SkipRef, untilAt: number | null) => {
      if (!st.reason) {
        st.reason = reason;
        st.detail = detail;
      }
      if (untilAt !== null && (st.untilAt === null || untilAt > st.untilAt)) st.untilAt = untilAt;
    };

    let cdUntil = 0;
    let cd: (string | null)[] | null = null;
    let cdScope = "";
    for (const ref of e.cd) {
      // untilAt, kind, reason: the fields a cooldown hash holds (settle's setCooldown).
      const c = kv.hmget(key(ref.key), "untilAt", "kind", "reason");
      const u = Number(c[0] ?? "0");
      if (laterLive(u, cdUntil, now)) {
        cdUntil = u;
        cd = c;
        cdScope = ref.scope;
      }
    }
    if (cd) {
      const kind = cd[1] ?? "";
      block(CD_REASON[kind] ?? SKIP.cooldown, `${kind} (${cdScope}): ${cd[2] ?? ""}`, cdUntil);
    }

    // Read only without a cooldown: with one, the breaker cannot change the answer.
    if (!cd && kv.hget(key(e.cb), "state") === "open") {
      const p = kv.get(key(e.probe));
      const pexp = p ? Number(/\|(\d+)$/.exec(p)?.[1] ?? "0") : 0;
      if (live(pexp, now)) block(SKIP.circuit_open, "circuit half-open: probe in flight", pexp);
      else st.probe = true;
    }

    // Header windows: the upstream's last report, less what leases sent after it still hold.
    const hw = kv.hgetall(key(e.hw));
    st.hwKnown = Object.keys(hw).length > 0;
    const shown: { name: string; w: StoredWindow }[] = [];
    for (const name of Object.keys(hw).sort()) {
      const w = JSON.parse(hw[name]!) as StoredWindow;
      if (live(w.t, now)) shown.push({ name, w });
    }
    if (shown.length > 0) {
      const held: StoredReservation[] = [];
      for (const [id, raw] of Object.entries(kv.hgetall(key(e.hwr)))) {
        const r = JSON.parse(raw) as StoredReservation;
        if (live(r.x, now)) held.push(r);
        else kv.hdel(key(e.hwr), id);
      }
      for (const { name, w } of shown) {
        let pending = 0;
        for (const r of held) if (countsAgainst(r.a, w.a)) pending += holds(w.u, r.e, w.l);
        if (headerShort(w.r, pending, holds(w.u, est, w.l)))
          block(SKIP.header_quota, { window: name }, w.t);
      }
    }

    for (const [mi, m] of e.manual.entries()) {
      const cur = Number(kv.get(key(m.cur)) ?? "0");
      const prev = Number(kv.get(key(m.prev)) ?? "0");
      if (overLimit(slidingUsed(prev, cur, now, m.start, m.w), m.cost, m.limit)) {
        block(
          SKIP.manual_limit,
          { check: mi },
          fitAt(m.limit, m.cost, prev, cur, m.start, m.w, now),
        );
      }
    }

    for (const [qi, q] of e.conc.entries()) {
      kv.zremUpTo(key(q.key), now);
      if (concurrencyLimited(q.limit) && atConcurrency(kv.zcard(key(q.key)), q.limit)) {
        block(SKIP.concurrency, { check: qi }, null);
      }
    }
    return st;
  };

  const reserve = (e: EntryPlan, st: CheckState) => {
    for (const m of e.manual) {
      const cost = m.cost;
      if (cost > 0) {
        kv.incrby(key(m.cur), cost);
        kv.pexpire(key(m.cur), manualBucketTtl(m.w));
      }
    }
    const expiry = after(now, spec.ttl);
    if (st.hwKnown) {
      const r: StoredReservation = { a: now, e: est, x: expiry };
      kv.hset(key(e.hwr), { [spec.lease]: JSON.stringify(r) });
      if (kv.pttl(key(e.hwr)) < spec.ttl) kv.pexpire(key(e.hwr), spec.ttl);
    }
    for (const q of e.conc) {
      kv.zadd(key(q.key), expiry, spec.lease);
      if (kv.pttl(key(q.key)) < spec.ttl) kv.pexpire(key(q.key), spec.ttl);
    }
    if (st.probe) kv.set(key(e.probe), `${spec.lease}|${expiry}`, spec.ttl);
  };

  const skipped: RawSkippedEntry[] = [];
  for (const [i, e] of spec.entries.entries()) {
    const st = check(e);
    if (!st.reason) {
      reserve(e, st);
      return { index: i, skipped, probe: st.probe, hwr: st.hwKnown };
    }
    const { detail } = st;
    const ref = typeof detail === "string" ? { detail } : detail;
    skipped.push({ index: i, reason: st.reason, until: st.untilAt, ...ref });
  }
  return { index: -1, skipped };
}
