import type { LimitScope, LimitUnit } from "@429chain/contracts";
import { entryScopeId, providerScopeId, type QuotaKeys } from "./keys";
import { bucketOf, windowedLimitsOf } from "./limits";
import { SETTLE_OUTCOME, SKIP } from "./rules/table";
import type { AcquireRequest, CooldownPolicy, EntryPolicy, Lease, SettleInput } from "./types";

/**
 * Plans are the single description of which keys a call touches and what it checks. The Lua
 * scripts and the memory store both execute the same plan, so key layout and labels cannot
 * drift apart. Keys are referenced by 1-based index into `keys` (Lua's KEYS table). What they
 * compute from what they read are the rules of rules/table.ts, also shared.
 */
export interface KeyedPlan<T> {
  keys: string[];
  spec: T;
}

export interface CooldownRef {
  key: number;
  scope: LimitScope;
}

export interface ManualCheck {
  cur: number;
  prev: number;
  limit: number;
  /** What the request counts against this limit: 1 request, or its tokens, never more than the limit. */
  cost: number;
  w: number;
  start: number;
  unit: LimitUnit;
}

export interface ConcurrencyCheck {
  key: number;
  /** 0 = not limited, tracked only (in-flight counts and lease release). */
  limit: number;
}

export interface EntryPlan {
  cd: CooldownRef[];
  cb: number;
  probe: number;
  hw: number;
  /** Leases in flight against the header windows (see headerReservations). */
  hwr: number;
  manual: ManualCheck[];
  conc: ConcurrencyCheck[];
}

export interface AcquireSpec {
  now: number;
  est: number;
  ttl: number;
  lease: string;
  entries: EntryPlan[];
}

/** What a settle does to a header window the response did not (freshly) report. */
export type Consumed = { requests: number; tokens: number };

export interface SettleSpec {
  now: number;
  lease: string;
  acquiredAt: number;
  inf: number[];
  probe: number;
  /** Lease.holds: whether the probe and a header-window reservation may be the lease's. */
  holds: { probe: boolean; hwr: boolean };
  /**
   * Manual-limit buckets to adjust: tokens reconciled with what was used, request slots given
   * back when the upstream refused the attempt for its rate limits. exp: when the bucket
   * leaves the sliding window; later adjustments are pointless.
   */
  adjust: { key: number; delta: number; exp: number }[];
  hw: number;
  hwr: number;
  windows: { n: string; u: LimitUnit; l?: number; r: number; t: number }[];
  /** What the attempt used upstream, charged to windows no fresher report covers. */
  consumed: Consumed;
  /** Recent-use hashes (provider, entry) the consumption is added to: ledger/burn-rate.ts. */
  burn: { keys: number[]; tau: number; ttl: number };
  cd: Record<LimitScope, number>;
  streak: Record<LimitScope, number>;
  cb: number;
  /** mid: only for a failure; reason: only for the outcomes that store one (a cooldown's). */
  outcome: { kind: string; scope?: LimitScope; retryAt?: number; mid?: boolean; reason?: string };
  /**
   * Only for the outcomes that read it (POLICY_OUTCOMES): an ok, the usual settle, does not
   * carry the ~370 bytes of cooldown settings it never reads.
   */
  policy?: SettlePolicy;
}

/** The cooldown settings, and how long the breaker hash is kept (garbage collection only). */
export type SettlePolicy = CooldownPolicy & { gcMs: number };

/** The settle outcomes whose branch reads SettleSpec.policy (cooldowns, streaks, breaker). */
const POLICY_OUTCOMES: ReadonlySet<string> = new Set([
  SETTLE_OUTCOME.rate_limited,
  SETTLE_OUTCOME.quota_exhausted,
  SETTLE_OUTCOME.auth_failed,
  SETTLE_OUTCOME.failure,
]);

/** SettleSpec.policy, for the branches that read it; planSettle sends it to exactly those. */
export function policyOf(spec: SettleSpec): SettlePolicy {
  if (!spec.policy)
    throw new Error(`settle outcome ${spec.outcome.kind} was planned without policy`);
  return spec.policy;
}

function keyIndexer(): { keys: string[]; k: (key: string) => number } {
  const keys: string[] = [];
  const seen = new Map<string, number>();
  return {
    keys,
    k(key) {
      let i = seen.get(key);
      if (i === undefined) {
        keys.push(key);
        i = keys.length;
        seen.set(key, i);
      }
      return i;
    },
  };
}

/** Tokens one request holds in a token window: its estimate, never more than the window's limit. */
export function tokenCost(estimatedTokens: number, limit: number | undefined): number {
  return limit === undefined ? estimatedTokens : Math.min(estimatedTokens, limit);
}

function entryPlan(
  keysOf: QuotaKeys,
  k: (key: string) => number,
  e: EntryPolicy,
  now: number,
  est: number,
) {
  const pid = providerScopeId(e.provider);
  const eid = entryScopeId(e.provider, e.model);
  const idOf = (scope: LimitScope) => (scope === "provider" ? pid : eid);
  const plan: EntryPlan = {
    cd: [
      { key: k(keysOf.cooldown(pid)), scope: "provider" },
      { key: k(keysOf.cooldown(eid)), scope: "entry" },
    ],
    cb: k(keysOf.circuit(eid)),
    probe: k(keysOf.probe(eid)),
    hw: k(keysOf.headerWindows(idOf(e.headerScope))),
    hwr: k(keysOf.headerReservations(idOf(e.headerScope))),
    manual: windowedLimitsOf(e).map((m) => {
      const bucket = bucketOf(now, m.windowMs);
      return {
        cur: k(keysOf.manualBucket(idOf(m.scope), m.name, bucket)),
        prev: k(keysOf.manualBucket(idOf(m.scope), m.name, bucket - 1)),
        limit: m.limit,
        cost: m.unit === "tokens" ? tokenCost(est, m.limit) : 1,
        w: m.windowMs,
        start: bucket * m.windowMs,
        unit: m.unit,
      };
    }),
    conc: concurrencyScopes(e).map((scope) => ({
      key: k(keysOf.inFlight(idOf(scope))),
      limit: (scope === "provider" ? e.providerLimits : e.modelLimits)?.concurrentRequests ?? 0,
    })),
  };
  return plan;
}

/**
 * The in-flight sets an acquire keeps, in EntryPlan.conc order. The entry's is always kept (it
 * feeds entryStates); the provider's only when a provider-wide concurrency limit reads it,
 * which saves several commands per request.
 */
function concurrencyScopes(e: EntryPolicy): LimitScope[] {
  return e.providerLimits?.concurrentRequests !== undefined ? ["provider", "entry"] : ["entry"];
}

/**
 * Which check of an EntryPlan skipped the entry, when its label is constant per entry: the
 * executors name the check (an index into `manual` or `conc`, a header window's name) and the
 * caller writes the label, so the labels are never sent to the script.
 */
export interface SkipRef {
  check?: number;
  window?: string;
}

/** The detail of a skip the executors gave as a SkipRef. */
export function skipDetailOf(e: EntryPolicy, reason: string, ref: SkipRef): string {
  if (ref.window !== undefined) return `header:${ref.window} (${e.headerScope})`;
  const i = ref.check ?? 0;
  if (reason === SKIP.concurrency) return `manual:concurrentRequests (${concurrencyScopes(e)[i]})`;
  const m = windowedLimitsOf(e)[i];
  return m ? `manual:${m.name} (${m.scope})` : "";
}

/**
 * Tokens a lease of `req` reserves. Integers only: Lua stores numbers as strings and both
 * stores must round identically.
 */
export function reservedTokensOf(req: AcquireRequest): number {
  return Math.max(0, Math.ceil(req.estimatedTokens));
}

export function planAcquire(
  keysOf: QuotaKeys,
  req: AcquireRequest,
  leaseId: string,
  now: number,
): KeyedPlan<AcquireSpec> {
  const { keys, k } = keyIndexer();
  const est = reservedTokensOf(req);
  const entries = req.entries.map((e) => entryPlan(keysOf, k, e, now, est));
  const ttl = Math.max(1, Math.ceil(req.leaseTtlMs));
  return { keys, spec: { now, est, ttl, lease: leaseId, entries } };
}

function outcomeSpec(input: SettleInput): SettleSpec["outcome"] {
  const o = input.outcome;
  switch (o.kind) {
    case "ok":
      return { kind: o.kind };
    // Neither says anything about the entry: the lease is released, nothing is counted.
    case "cancelled":
    case "rejected":
      return { kind: SETTLE_OUTCOME.cancelled };
    case "rate_limited":
    case "quota_exhausted": {
      const retryAt = o.retryAt === undefined ? undefined : Math.ceil(o.retryAt);
      return { kind: o.kind, scope: o.scope, retryAt, reason: o.reason };
    }
    case "auth_failed":
      return { kind: o.kind, scope: o.scope, reason: o.reason };
    case "upstream_error":
    case "timeout":
      return { kind: SETTLE_OUTCOME.failure, mid: o.midStream === true, reason: o.reason };
    case "client_error":
      return { kind: o.kind, reason: o.reason };
  }
}

/** The upstream refused the attempt for its rate limits: it did not count against them. */
function refusedForRateLimits(input: SettleInput): boolean {
  const kind = input.outcome.kind;
  return kind === "rate_limited" || kind === "quota_exhausted";
}

/**
 * What a finished attempt used of the upstream's windows: one request and its tokens when it
 * was served, nothing when it never counted (refused, failed, cancelled).
 */
function consumedBy(input: SettleInput, lease: Lease): Consumed {
  if (input.outcome.kind !== "ok") return { requests: 0, tokens: 0 };
  return { requests: 1, tokens: Math.ceil(input.tokensUsed ?? lease.reservedTokens) };
}

export function planSettle(
  keysOf: QuotaKeys,
  lease: Lease,
  input: SettleInput,
  now: number,
): KeyedPlan<SettleSpec> {
  const { keys, k } = keyIndexer();
  const e = lease.entry;
  const pid = providerScopeId(e.provider);
  const eid = entryScopeId(e.provider, e.model);
  const idOf = (scope: LimitScope) => (scope === "provider" ? pid : eid);
  const refused = refusedForRateLimits(input);
  const adjust: SettleSpec["adjust"] = [];
  for (const m of windowedLimitsOf(e)) {
    let delta = 0;
    if (m.unit === "requests" && refused) delta = -1;
    if (m.unit === "tokens" && input.tokensUsed !== undefined) {
      delta = Math.ceil(input.tokensUsed) - tokenCost(lease.reservedTokens, m.limit);
    }
    if (delta === 0) continue;
    const bucket = bucketOf(lease.acquiredAt, m.windowMs);
    adjust.push({
      key: k(keysOf.manualBucket(idOf(m.scope), m.name, bucket)),
      delta,
      exp: (bucket + 2) * m.windowMs,
    });
  }
  const p = input.policy;
  const outcome = outcomeSpec(input);
  const withPolicy = POLICY_OUTCOMES.has(outcome.kind);
  return {
    keys,
    spec: {
      now,
      lease: lease.id,
      acquiredAt: lease.acquiredAt,
      inf:
        lease.entry.providerLimits?.concurrentRequests !== undefined
          ? [k(keysOf.inFlight(pid)), k(keysOf.inFlight(eid))]
          : [k(keysOf.inFlight(eid))],
      probe: k(keysOf.probe(eid)),
      holds: {
        probe: lease.holds?.probe ?? true,
        hwr: lease.holds?.headerReservation ?? true,
      },
      adjust,
      hw: k(keysOf.headerWindows(idOf(e.headerScope))),
      hwr: k(keysOf.headerReservations(idOf(e.headerScope))),
      windows: input.windows.map((w) => ({
        n: w.name,
        u: w.unit,
        l: w.limit === undefined ? undefined : Math.round(w.limit),
        r: Math.max(0, Math.round(w.remaining)),
        t: Math.ceil(w.resetAt),
      })),
      consumed: consumedBy(input, lease),
      burn: {
        keys: [k(keysOf.burn(pid)), k(keysOf.burn(eid))],
        tau: p.burnTauMs,
        // Six time constants on, what is left of the use is under 0.3%: let it go.
        ttl: 6 * p.burnTauMs,
      },
      cd: { provider: k(keysOf.cooldown(pid)), entry: k(keysOf.cooldown(eid)) },
      streak: { provider: k(keysOf.streak(pid)), entry: k(keysOf.streak(eid)) },
      cb: k(keysOf.circuit(eid)),
      outcome,
      policy: withPolicy
        ? {
            ...p,
            // Garbage collection only: every decision compares stored timestamps with `now`.
            gcMs: 4 * Math.max(p.circuitMaxMs, p.midStreamMaxMs, p.rateLimitMaxMs) + 3_600_000,
          }
        : undefined,
    },
  };
}
