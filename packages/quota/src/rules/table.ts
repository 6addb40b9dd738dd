/**
 * The quota rules, written once. Every formula and test the acquire and settle scripts apply
 * lives here as an expression (rules/expr.ts); rules/compile.ts turns the table into Lua local
 * functions prepended to lua/acquire-script.ts and lua/settle-script.ts, and into JavaScript
 * functions the in-process twin (memory/acquire.ts, memory/settle.ts) calls. The executors
 * only read and write keys in order and call these; change a rule here and both stores change.
 *
 * A rule may call rules defined above it. `let` binds locals in order before `is` is returned.
 */

/** Named numbers, inlined where a rule uses them. */
export const RULE_CONSTANTS = {
  /** The weighted previous bucket is a float: 3 * (1 - 1/3) must count as 2, not 2.0000000000000004. */
  EPS: 1e-9,
  /** A report for a window ending at most this much later is the same window, not a new one. */
  REPORT_SLACK_MS: 1000,
  /** Header windows are kept this long past their last reset: the scope is known to report them. */
  HEADER_KEEP_MS: 86_400_000,
} as const;

/** What settle does, by the outcome's kind in SettleSpec (plan.ts folds the attempt's into these). */
export const SETTLE_OUTCOME = {
  ok: "ok",
  /** Cancelled or rejected: the lease is released, nothing is counted. */
  cancelled: "cancelled",
  rate_limited: "rate_limited",
  quota_exhausted: "quota_exhausted",
  auth_failed: "auth_failed",
  /** An upstream error or a timeout, mid-stream or not. */
  failure: "failure",
  client_error: "client_error",
} as const;

/** Cooldown kinds, as stored in a cooldown hash's `kind` field. */
export const COOLDOWN_KIND = {
  rate_limited: "rate_limited",
  quota_exhausted: "quota_exhausted",
  auth_failed: "auth_failed",
  mid_stream: "mid_stream",
  circuit_open: "circuit_open",
} as const;

/** Why acquire skipped an entry (SkipReason). */
export const SKIP = {
  cooldown: "cooldown",
  auth_failed: "auth_failed",
  circuit_open: "circuit_open",
  header_quota: "header_quota",
  manual_limit: "manual_limit",
  concurrency: "concurrency",
} as const;

/** The skip reason a cooldown of each kind reports; any other kind reports SKIP.cooldown. */
export const CD_REASON: Readonly<Record<string, (typeof SKIP)[keyof typeof SKIP]>> = {
  [COOLDOWN_KIND.auth_failed]: SKIP.auth_failed,
  [COOLDOWN_KIND.circuit_open]: SKIP.circuit_open,
};

export interface RuleDef {
  doc: string;
  args: readonly string[];
  let?: readonly (readonly [string, string])[];
  is: string;
  /** Answers yes/no (else a number). */
  yes?: true;
  /** May differ by an ulp between Redis and JavaScript (uses exp): never a time or a count. */
  approx?: true;
}

export const RULES = {
  live: {
    doc: "A time still ahead: a cooldown, window, reservation, probe or streak in force.",
    args: ["t", "now"],
    is: "t > now",
    yes: true,
  },
  laterLive: {
    doc: "A cooldown end that is in force and later than the latest seen so far.",
    args: ["t", "best", "now"],
    is: "live(t, now) and t > best",
    yes: true,
  },
  capTo: {
    doc: "n, never more than cap (when there is one).",
    args: ["n", "cap"],
    is: "cond(has(cap) and cap < n, cap, n)",
  },
  holds: {
    doc: "What one request holds of a header window: 1 request, or its tokens up to the window's limit.",
    args: ["unit", "tokens", "limit"],
    is: "cond(unit == 'tokens', capTo(tokens, limit), 1)",
  },
  countsAgainst: {
    doc: "A lease counts against a window report its attempt started no earlier than.",
    args: ["leaseAt", "reportAt"],
    is: "leaseAt >= def(reportAt, 0)",
    yes: true,
  },
  headerShort: {
    doc: "A header window without room for the request once the leases in flight are counted.",
    args: ["remaining", "pending", "need"],
    is: "remaining - pending < need",
    yes: true,
  },
  slidingUsed: {
    doc: "Use of a manual limit over its sliding window: the previous bucket weighted by what of it is still inside.",
    args: ["prev", "cur", "now", "start", "w"],
    is: "prev * (1 - (now - start) / w) + cur",
  },
  overLimit: {
    doc: "A manual limit the request does not fit in.",
    args: ["used", "cost", "limit"],
    is: "used + cost > limit + EPS",
    yes: true,
  },
  fitAt: {
    doc:
      "When the request fits a full manual limit: solves prev * (1 - elapsed / w) + cur + cost <= limit " +
      "for the time, written w * a / b so integer inputs give exact answers.",
    args: ["limit", "cost", "prev", "cur", "start", "w", "now"],
    let: [
      ["room", "limit - cost - cur"],
      [
        "t",
        "cond(room >= 0, start + ceil(w * (prev - room) / prev)," +
          " start + w + cond(cur > 0, ceil(max(0, w * (cur - (limit - cost)) / cur)), 0))",
      ],
    ],
    is: "cond(t <= now, now + 1, t)",
  },
  manualBucketTtl: {
    doc: "A manual bucket lives while it can still be the previous bucket.",
    args: ["w"],
    is: "2 * w",
  },
  concurrencyLimited: {
    doc: "A concurrency limit of 0 tracks leases without limiting them.",
    args: ["limit"],
    is: "limit > 0",
    yes: true,
  },
  atConcurrency: {
    doc: "No room for another lease in flight.",
    args: ["inFlight", "limit"],
    is: "inFlight >= limit",
    yes: true,
  },
  after: {
    doc: "A time ms after now: a lease's expiry, a cooldown's end.",
    args: ["now", "ms"],
    is: "now + ms",
  },
  ttlTo: {
    doc: "A key's time to live until t (at least 1 ms: PEXPIRE 0 would delete it).",
    args: ["t", "now"],
    is: "max(1, t - now)",
  },
  keepsStoredReport: {
    doc:
      "A stored window report stays when a newer attempt reported it and the new report is the " +
      "same window (ends no more than REPORT_SLACK_MS later).",
    args: ["oldEnd", "oldAt", "acquiredAt", "newEnd", "now"],
    is: "live(oldEnd, now) and acquiredAt < def(oldAt, 0) and newEnd <= oldEnd + REPORT_SLACK_MS",
    yes: true,
  },
  chargeOf: {
    doc: "What a served attempt used of a header window of the unit.",
    args: ["unit", "requests", "tokens"],
    is: "cond(unit == 'tokens', tokens, requests)",
  },
  remainingAfter: {
    doc: "A header window's remainder after a charge.",
    args: ["remaining", "charge"],
    is: "max(0, remaining - charge)",
  },
  headerKeepMs: {
    doc: "Header windows are kept HEADER_KEEP_MS past the last reset.",
    args: ["lastEnd", "now"],
    is: "lastEnd - now + HEADER_KEEP_MS",
  },
  burnDecay: {
    doc: "The factor recent use decays by since it was last written (ledger/burn-rate.ts).",
    args: ["now", "at", "tau"],
    is: "exp(-max(0, now - at) / tau)",
    approx: true,
  },
  burnAdd: {
    doc: "A decayed recent-use sum with this attempt's use added.",
    args: ["sum", "decay", "add"],
    is: "sum * decay + max(0, add)",
  },
  streakEndsOnOk: {
    doc: "A success of an attempt started after the streak's last 429 ends the backoff streak.",
    args: ["at", "acquiredAt"],
    is: "at >= 0 and acquiredAt > at",
    yes: true,
  },
  escalates: {
    doc:
      "Only an attempt that started after the last cooldown began escalates the backoff: 429s " +
      "of attempts that were in flight together are one event, not consecutive ones.",
    args: ["acquiredAt", "at"],
    is: "acquiredAt > at",
    yes: true,
  },
  rateLimitBase: {
    doc: "A 429's backoff base: the upstream's retry hint, else rateLimitBaseMs, never under rateLimitMinMs.",
    args: ["retryAt", "now", "baseMs", "minMs"],
    is: "max(cond(has(retryAt), retryAt - now, baseMs), minMs)",
  },
  rateLimitBackoff: {
    doc: "The n-th consecutive 429 cools down for base doubled n - 1 times, capped (never under base).",
    args: ["base", "n", "maxMs"],
    is: "max(base, min(base * pow(2, n - 1), maxMs))",
  },
  escalationExpiry: {
    doc: "A streak (429s, mid-stream trips) is forgotten maxMs after its last cooldown ends.",
    args: ["now", "dur", "maxMs"],
    is: "now + dur + maxMs",
  },
  quotaExhaustedUntil: {
    doc: "An exhausted quota cools down until its reset (at least rateLimitMinMs), else creditMs.",
    args: ["retryAt", "now", "creditMs", "minMs"],
    is: "cond(has(retryAt), max(retryAt, now + minMs), now + creditMs)",
  },
  extendsCooldown: {
    doc: "A cooldown is only ever extended, never shortened by a later, shorter one.",
    args: ["cur", "untilAt", "now"],
    is: "not (live(cur, now) and cur >= untilAt)",
    yes: true,
  },
  midStreamTrips: {
    doc: "Enough mid-stream failures in a row trip the entry.",
    args: ["failures", "threshold"],
    is: "failures >= threshold",
    yes: true,
  },
  midStreamDuration: {
    doc: "The trip's cooldown doubles with each earlier trip of the streak, capped.",
    args: ["trips", "baseMs", "maxMs"],
    is: "min(baseMs * pow(2, trips), maxMs)",
  },
  failureCounts: {
    doc: "A failure of a lease taken before the circuit opened says nothing about the probe.",
    args: ["open", "acquiredAt", "openedAt"],
    is: "not (open and acquiredAt <= openedAt)",
    yes: true,
  },
  circuitOpens: {
    doc: "A failed probe reopens the circuit; otherwise circuitThreshold failures in a row open it.",
    args: ["open", "fails", "threshold"],
    is: "open or fails >= threshold",
    yes: true,
  },
  circuitDuration: {
    doc: "The circuit stays open circuitBaseMs, doubled with each earlier opening, capped.",
    args: ["opens", "baseMs", "maxMs"],
    is: "min(baseMs * pow(2, opens - 1), maxMs)",
  },
  circuitCloses: {
    doc: "A success of an attempt started after the circuit opened (the probe) closes it.",
    args: ["acquiredAt", "openedAt"],
    is: "acquiredAt > openedAt",
    yes: true,
  },
} as const satisfies Record<string, RuleDef>;

export type RuleName = keyof typeof RULES;
