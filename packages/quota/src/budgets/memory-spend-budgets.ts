import { createPeriodCounters } from "../key-limits/period-counters";
import { keyPeriods } from "../key-limits/periods";
import { overLimit, type SpendBudgets, type SpendLimits, type SpendReservation } from "./types";

/** The same counts in this process: the gateway without Redis (the quickstart). */
export function createMemorySpendBudgets(opts: { now?: () => number } = {}): SpendBudgets {
  const now = opts.now ?? Date.now;
  const { get, reserveDayAndMonth } = createPeriodCounters(now);

  return {
    async reserve(scope: string, limits: SpendLimits, micros: number): Promise<SpendReservation> {
      const at = now();
      const p = keyPeriods(at);
      const day = `${scope}:day:${p.day.id}`;
      const month = `${scope}:month:${p.month.id}`;
      if (overLimit(get(day, at), micros, limits.dailyMicros)) {
        return { ok: false, reason: "spent", window: "day", retryAt: p.day.end };
      }
      if (overLimit(get(month, at), micros, limits.monthlyMicros)) {
        return { ok: false, reason: "spent", window: "month", retryAt: p.month.end };
      }
      return { ok: true, settle: reserveDayAndMonth({ day, month }, p, micros, at) };
    },
    async spent(scope) {
      const at = now();
      const p = keyPeriods(at);
      return {
        dayMicros: get(`${scope}:day:${p.day.id}`, at),
        monthMicros: get(`${scope}:month:${p.month.id}`, at),
      };
    },
  };
}
