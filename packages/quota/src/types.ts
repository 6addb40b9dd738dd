import type {
  AttemptOutcome,
  EntryState,
  LimitScope,
  RateLimits,
  RateLimitWindow,
} from "@429chain/contracts";

/** Everything the store needs to know about one chain entry to decide eligibility. */
export interface EntryPolicy {
  provider: string;
  model: string;
  /** Account-wide manual limits (provider `rateLimits`). */
  providerLimits?: RateLimits;
  /** Manual limits of this provider+model (provider `modelRateLimits[model]`). */
  modelLimits?: RateLimits;
  /** Scope the upstream's rate-limit headers describe (from the provider adapter). */
  headerScope: LimitScope;
}

export interface AcquireRequest {
  /** Candidates in chain order; the first eligible one is reserved. */
  entries: readonly EntryPolicy[];
  /** Tokens charged against token windows now, reconciled at settle. */
  estimatedTokens: number;
  /** How long a concurrency slot is held if the lease is never settled (crashed replica). */
  leaseTtlMs: number;
}

export type SkipReason =
  | "cooldown" // rate limited / quota exhausted / mid-stream failures
  | "auth_failed"
  | "circuit_open"
  | "header_quota" // upstream-reported remaining exhausted
  | "manual_limit" // configured RPM/RPH/RPD/TPM/TPD full
  | "concurrency"; // configured concurrentRequests full

export interface SkippedEntry {
  index: number;
  reason: SkipReason;
  /** Epoch ms when this entry may be eligible again (null: unknown, e.g. concurrency). */
  until: number | null;
  /** Short human-readable detail, e.g. "manual:requestsPerMinute (provider)". */
  detail: string;
}

export interface Lease {
  readonly id: string;
  /** Index into AcquireRequest.entries of the reserved entry. */
  readonly index: number;
  readonly entry: EntryPolicy;
  readonly acquiredAt: number;
  readonly reservedTokens: number;
  /**
   * What the acquire stored under the lease's id besides its in-flight entries: the half-open
   * probe, a header-window reservation. Settle looks only for what is there; absent, for both.
   */
  readonly holds?: LeaseHolds;
}

export interface LeaseHolds {
  probe: boolean;
  headerReservation: boolean;
}

export type AcquireResult =
  | { ok: true; lease: Lease; skipped: SkippedEntry[] }
  /** Nothing eligible; `retryAt` is the earliest time any entry frees (null if unknown). */
  | { ok: false; skipped: SkippedEntry[]; retryAt: number | null };

/** Cooldown and breaker settings, derived from config settings by the caller. */
export interface CooldownPolicy {
  /** Base cooldown of a 429 with no wait given; doubled for each consecutive 429. */
  rateLimitBaseMs: number;
  /**
   * Shortest cooldown a 429 or an exhausted quota sets, whatever the upstream said: a
   * "retry in 0s" (a hint rounded down) must not invite a burst of wasted calls.
   */
  rateLimitMinMs: number;
  rateLimitMaxMs: number;
  /** quota_exhausted without retryAt (402, credit). */
  creditMs: number;
  authFailedMs: number;
  circuitThreshold: number;
  circuitBaseMs: number;
  circuitMaxMs: number;
  midStreamThreshold: number;
  midStreamBaseMs: number;
  midStreamMaxMs: number;
  /** Time constant of the burn rate's decay (settings.burnRateWindowMs); not a cooldown. */
  burnTauMs: number;
}

export interface SettleInput {
  outcome: AttemptOutcome;
  /** Windows parsed from the response headers (any status). */
  windows: RateLimitWindow[];
  /** Actual tokens used when known (reconciles the estimate); undefined keeps the estimate. */
  tokensUsed?: number;
  policy: CooldownPolicy;
}

export interface SettleResult {
  /** Cooldown in force on the entry after this settle (epoch ms), if any. */
  cooldownUntil: number | null;
}

/**
 * Shared quota and cooldown state. Redis and memory implementations pass one contract suite.
 * Every method is one round trip to the backing store.
 */
export interface QuotaStore {
  acquire(req: AcquireRequest): Promise<AcquireResult>;
  settle(lease: Lease, input: SettleInput): Promise<SettleResult>;
  /** settle() for the previous attempt and acquire() for the next in one round trip. */
  settleAndAcquire(
    lease: Lease,
    input: SettleInput,
    req: AcquireRequest,
  ): Promise<[SettleResult, AcquireResult]>;
  /**
   * Resolves once every command given so far has left for the store (at once for a store that
   * writes at once): the answer a settle belongs to must not overtake it, or the client's next
   * request, to any replica, could be picked without it.
   */
  sent(): Promise<void>;
  /** Live state of each entry (for /v1/ratelimits, metrics and the admin). */
  entryStates(entries: readonly EntryPolicy[]): Promise<EntryState[]>;
  /** Admin action: remove cooldowns, breaker state and header windows of one entry. */
  clearCooldown(entry: Pick<EntryPolicy, "provider" | "model">): Promise<void>;
  /** "ok" | "degraded" (serving on local state because the shared store is unreachable). */
  health(): "ok" | "degraded";
  close(): Promise<void>;
}
