import type { SpendBudgets, SpendReservation } from "./types";

/**
 * Shared budgets that refuse when their store cannot answer: with Redis down no replica can
 * know what the others spent, so paid entries are skipped (free ones still serve) rather than
 * risk passing a budget. A settle that fails is reported and dropped: the reservation stays
 * counted, erring on the side of the budget.
 */
export function createFailClosedSpendBudgets(opts: {
  primary: SpendBudgets;
  /** The store's connection state (ioredis "ready" → "ok"): refused at once when degraded. */
  health: () => "ok" | "degraded";
  onError?: (err: unknown) => void;
}): SpendBudgets {
  const unavailable: SpendReservation = {
    ok: false,
    reason: "unavailable",
    window: null,
    retryAt: null,
  };
  return {
    async reserve(scope, limits, micros) {
      if (opts.health() !== "ok") return unavailable;
      try {
        const r = await opts.primary.reserve(scope, limits, micros);
        if (!r.ok) return r;
        return {
          ok: true,
          settle: (cost) => r.settle(cost).catch((err: unknown) => opts.onError?.(err)),
        };
      } catch (err) {
        opts.onError?.(err);
        return unavailable;
      }
    },
    spent: (scope) => opts.primary.spent(scope),
  };
}
