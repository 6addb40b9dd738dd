/** Spend limits of one budget scope in micro-dollars (USD × 1e6); null: no limit. */
export interface SpendLimits {
  dailyMicros: number | null;
  monthlyMicros: number | null;
}

export type SpendReservation =
  | {
      ok: true;
      /**
       * Replaces what was reserved with what the request cost (0 when the entry did not
       * serve). Call once; it never throws.
       */
      settle(costMicros: number): Promise<void>;
    }
  | {
      ok: false;
      /** `spent`: a window's limit is reached. `unavailable`: the shared count could not be read. */
      reason: "spent" | "unavailable";
      window: "day" | "month" | null;
      /** When the refusing window ends (UTC), if known. */
      retryAt: number | null;
    };

export interface Spent {
  dayMicros: number;
  monthMicros: number;
}

/**
 * Money spent per scope (a chain's paid entries, a client key) in UTC day and month windows,
 * shared by every replica. `reserve` is one atomic step: it refuses when the scope has spent
 * its limit or `micros` more would pass it, and otherwise counts `micros` at once so parallel
 * requests on any replica see it; the reservation's `settle` puts the actual cost in its place.
 */
export interface SpendBudgets {
  reserve(scope: string, limits: SpendLimits, micros: number): Promise<SpendReservation>;
  spent(scope: string): Promise<Spent>;
}

export const NO_SPEND_LIMITS: SpendLimits = { dailyMicros: null, monthlyMicros: null };

export function hasSpendLimits(limits: SpendLimits): boolean {
  return limits.dailyMicros !== null || limits.monthlyMicros !== null;
}

/** Refused when the limit is reached, or when `micros` more would pass it. */
export function overLimit(spent: number, micros: number, limit: number | null): boolean {
  return limit !== null && (spent >= limit || spent + micros > limit);
}
