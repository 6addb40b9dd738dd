import type { AcquireSpec, EntryPlan, KeyedPlan, ManualCheck } from "../plan";
import type { SkippedEntry, SkipReason } from "../types";
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

export interface RawAcquireResult {
  index: number;
  skipped: SkippedEntry[];
}

const EPS = 1e-9;

const CD_REASON: Record<string, SkipReason> = {
  auth_failed: "auth_failed",
  circuit_open: "circuit_open",
};

interface CheckState {
  reason: SkipReason | null;
  detail: string;
  untilAt: number | null;
  probe: boolean;
  /** The scope has reported windows before (its hash exists): record this request against it. */
  hwKnown: boolean;
}

const capTo = (n: number, cap: number | undefined) => (cap !== undefined && cap < n ? cap : n);

/** Same formula and evaluation order as the Lua fitAt, so both stores report the same time. */
function fitAt(m: ManualCheck, prev: number, cur: number, cost: number, now: number): number {
  const room = m.limit - cost - cur;
  let t: number;
  if (room >= 0) {
    t = m.start + Math.ceil((m.w * (prev - room)) / prev);
  } else {
    t = m.start + m.w;
    if (cur > 0) t += Math.ceil(Math.max(0, (m.w * (cur - (m.limit - cost))) / cur));
  }
  return t <= now ? now + 1 : t;
}

/** The in-process twin of ACQUIRE_SCRIPT; keep the two in step. */
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
    const block = (reason: SkipReason, detail: string, untilAt: number | null) => {
      if (!st.reason) {
        st.reason = reason;
        st.detail = detail;
      }
      if (untilAt !== null && (st.untilAt === null || untilAt > st.untilAt)) st.untilAt = untilAt;
    };

    let cdUntil = 0;
    let cd: Record<string, string> | null = null;
    let cdScope = "";
    for (const ref of e.cd) {
      const c = kv.hgetall(key(ref.key));
      const u = Number(c.untilAt ?? "0");
      if (u > now && u > cdUntil) {
        cdUntil = u;
        cd = c;
        cdScope = ref.scope;
      }
    }
    if (cd) {
      const kind = cd.kind ?? "";
      block(CD_REASON[kind] ?? "cooldown", `${kind} (${cdScope}): ${cd.reason ?? ""}`, cdUntil);
    }

    const cb = kv.hgetall(key(e.cb));
    if (cb.state === "open" && !cd) {
      const p = kv.get(key(e.probe));
      const pexp = p ? Number(/\|(\d+)$/.exec(p)?.[1] ?? "0") : 0;
      if (pexp > now) block("circuit_open", "circuit half-open: probe in flight", pexp);
      else st.probe = true;
    }

    // Header windows: the upstream's last report, less what leases sent after it still hold.
    const hw = kv.hgetall(key(e.hw));
    st.hwKnown = Object.keys(hw).length > 0;
    const live: { name: string; w: StoredWindow }[] = [];
    for (const name of Object.keys(hw).sort()) {
      const w = JSON.parse(hw[name]!) as StoredWindow;
      if (w.t > now) live.push({ name, w });
    }
    if (live.length > 0) {
      const held: StoredReservation[] = [];
      for (const [id, raw] of Object.entries(kv.hgetall(key(e.hwr)))) {
        const r = JSON.parse(raw) as StoredReservation;
        if (r.x > now) held.push(r);
        else kv.hdel(key(e.hwr), id);
      }
      for (const { name, w } of live) {
        const need = w.u === "tokens" ? capTo(est, w.l) : 1;
        let pending = 0;
        for (const r of held) {
          if (r.a >= (w.a ?? 0)) pending += w.u === "tokens" ? capTo(r.e, w.l) : 1;
        }
        if (w.r - pending < need) block("header_quota", `header:${name} (${e.hwLabel})`, w.t);
      }
    }

    for (const m of e.manual) {
      const cur = Number(kv.get(key(m.cur)) ?? "0");
      const prev = Number(kv.get(key(m.prev)) ?? "0");
      const cost = m.cost;
      const used = prev * (1 - (now - m.start) / m.w) + cur;
      // EPS: the weighted previous bucket is a float; 3 * (1 - 1/3) must count as 2.
      if (used + cost > m.limit + EPS)
        block("manual_limit", m.label, fitAt(m, prev, cur, cost, now));
    }

    for (const q of e.conc) {
      kv.zremUpTo(key(q.key), now);
      if (q.limit > 0 && kv.zcard(key(q.key)) >= q.limit) block("concurrency", q.label, null);
    }
    return st;
  };

  const reserve = (e: EntryPlan, st: CheckState) => {
    for (const m of e.manual) {
      const cost = m.cost;
      if (cost > 0) {
        kv.incrby(key(m.cur), cost);
        kv.pexpire(key(m.cur), 2 * m.w);
      }
    }
    if (st.hwKnown) {
      const r: StoredReservation = { a: now, e: est, x: now + spec.ttl };
      kv.hset(key(e.hwr), { [spec.lease]: JSON.stringify(r) });
      if (kv.pttl(key(e.hwr)) < spec.ttl) kv.pexpire(key(e.hwr), spec.ttl);
    }
    for (const q of e.conc) {
      kv.zadd(key(q.key), now + spec.ttl, spec.lease);
      if (kv.pttl(key(q.key)) < spec.ttl) kv.pexpire(key(q.key), spec.ttl);
    }
    if (st.probe) kv.set(key(e.probe), `${spec.lease}|${now + spec.ttl}`, spec.ttl);
  };

  const skipped: SkippedEntry[] = [];
  for (const [i, e] of spec.entries.entries()) {
    const st = check(e);
    if (!st.reason) {
      reserve(e, st);
      return { index: i, skipped };
    }
    skipped.push({ index: i, reason: st.reason, until: st.untilAt, detail: st.detail });
  }
  return { index: -1, skipped };
}
