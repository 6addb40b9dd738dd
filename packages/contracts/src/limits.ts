/** Which quota a limit or cooldown belongs to: the whole provider account, or one provider+model. */
export type LimitScope = "provider" | "entry";
export type LimitUnit = "requests" | "tokens";

/** One rate-limit window as reported by an upstream's headers. */
export interface RateLimitWindow {
  /** Provider-specific window name, stable per provider: "requests", "tokens", "requests-day", … */
  name: string;
  unit: LimitUnit;
  limit?: number;
  remaining: number;
  /** Epoch ms at which the window is refilled; clamped to be ≥ the observation time. */
  resetAt: number;
}

/**
 * What one upstream attempt came to. Expected outcomes are values the waterfall switches on.
 * `retryAt` (epoch ms) is set when the upstream said when to come back; otherwise the quota
 * store applies the configured default.
 */
export type AttemptOutcome =
  | { kind: "ok" }
  | {
      kind: "rate_limited";
      scope: LimitScope;
      retryAt?: number;
      reason: string;
      /** Windows the error body reported ("Limit 6000, Used 5990"), beside the headers'. */
      windows?: RateLimitWindow[];
    }
  /** Daily/monthly/credit exhaustion: must not be retried soon. */
  | {
      kind: "quota_exhausted";
      scope: LimitScope;
      retryAt?: number;
      reason: string;
      windows?: RateLimitWindow[];
    }
  | { kind: "auth_failed"; scope: LimitScope; status: number; reason: string }
  | { kind: "upstream_error"; status?: number; reason: string; midStream?: boolean }
  | { kind: "timeout"; phase: TimeoutPhase; reason: string; midStream?: boolean }
  /** Caused by the request itself: returned to the client unchanged, never waterfalled. */
  | { kind: "client_error"; status: number; reason: string }
  /**
   * This entry refused this request for a reason of its own (OpenRouter's 402 "fewer
   * max_tokens"): another entry may serve it, and nothing shared cools down.
   */
  | { kind: "rejected"; status: number; reason: string; windows?: RateLimitWindow[] }
  /** The client went away; not the entry's fault. */
  | { kind: "cancelled" };

type TimeoutPhase = "connect" | "first_byte" | "idle" | "deadline";
export type AttemptOutcomeKind = AttemptOutcome["kind"];

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Prompt tokens read from the provider's prompt cache (part of promptTokens), if reported. */
  cachedTokens?: number;
  /** True when counted by the gateway rather than reported by the upstream. */
  estimated: boolean;
}
