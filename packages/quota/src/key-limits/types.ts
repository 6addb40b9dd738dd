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
  | {
      ok: true;
      /**
       * Replaces the tokens reserved at admission with the tokens the request used (0 when
       * nothing was served). Call once when the request ends; it never throws.
       */
      settle(usedTokens: number): Promise<void>;
    }
  | { ok: false; reason: "rate_limited" | "budget_exceeded"; retryAt: number };

/**
 * Per-client-key limits, shared by every replica. `admit` is one round trip: it counts the
 * request against the key's RPM and reserves its estimated tokens against the budgets, so
 * parallel requests see each other; the admission's `settle` reconciles the reservation.
 */
export interface KeyLimiter {
  admit(key: ClientKeyLimits, estimatedTokens: number): Promise<KeyAdmission>;
}

export function hasKeyLimits(key: ClientKeyLimits): boolean {
  return key.rpm !== null || key.dailyTokens !== null || key.monthlyTokens !== null;
}

export function hasBudgets(key: ClientKeyLimits): boolean {
  return key.dailyTokens !== null || key.monthlyTokens !== null;
}

/**
 * Tokens held for a request until it ends: its estimate, never more than the smallest budget
 * (an absurd `max_tokens` must not lock a key out for the rest of its day).
 */
export function reservationOf(key: ClientKeyLimits, estimatedTokens: number): number {
  if (!hasBudgets(key)) return 0;
  const cap = Math.min(key.dailyTokens ?? Infinity, key.monthlyTokens ?? Infinity);
  return Math.max(0, Math.min(Math.ceil(estimatedTokens), cap));
}

export const SETTLED = async () => {};
