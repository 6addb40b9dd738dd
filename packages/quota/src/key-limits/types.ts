/** The limits of one client API key (issued keys; config-file keys have none). */
export interface ClientKeyLimits {
  id: string;
  /** Requests per minute (fixed UTC minute windows). */
  rpm: number | null;
  /** Tokens per UTC day. */
  dailyTokens: number | null;
  /** Tokens per UTC calendar month. */
  monthlyTokens: number | null;
}

export type KeyAdmission =
  | { ok: true }
  | { ok: false; reason: "rate_limited" | "budget_exceeded"; retryAt: number };

/**
 * Per-client-key limits, shared by every replica. `admit` is one round trip and only needed
 * for keys with limits; `record` adds the tokens a served request used to the budgets.
 */
export interface KeyLimiter {
  admit(key: ClientKeyLimits): Promise<KeyAdmission>;
  record(key: ClientKeyLimits, tokens: number): Promise<void>;
}

export function hasKeyLimits(key: ClientKeyLimits): boolean {
  return key.rpm !== null || key.dailyTokens !== null || key.monthlyTokens !== null;
}
