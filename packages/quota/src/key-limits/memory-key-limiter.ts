import { createPeriodCounters } from "./period-counters";
import { keyPeriods } from "./periods";
import {
  type ClientKeyLimits,
  hasBudgets,
  type KeyAdmission,
  type KeyLimiter,
  reservationOf,
  SETTLED,
} from "./types";

/** The same limits counted in this process (no Redis, or while Redis is unreachable). */
export function createMemoryKeyLimiter(opts: { now?: () => number } = {}): KeyLimiter {
  const now = opts.now ?? Date.now;
  const { get, add, reserveDayAndMonth } = createPeriodCounters(now);

  return {
    async admit(key: ClientKeyLimits, estimatedTokens: number): Promise<KeyAdmission> {
      const at = now();
      const p = keyPeriods(at);
      const day = `${key.id}:day:${p.day.id}`;
      const month = `${key.id}:month:${p.month.id}`;
      if (key.dailyTokens !== null && get(day, at) >= key.dailyTokens) {
        return { ok: false, reason: "budget_exceeded", retryAt: p.day.end };
      }
      if (key.monthlyTokens !== null && get(month, at) >= key.monthlyTokens) {
        return { ok: false, reason: "budget_exceeded", retryAt: p.month.end };
      }
      if (key.rpm !== null) {
        const minute = `${key.id}:rpm:${p.minute.id}`;
        add(minute, 1, p.minute.end, at);
        if (get(minute, at) > key.rpm) {
          return { ok: false, reason: "rate_limited", retryAt: p.minute.end };
        }
      }
      if (!hasBudgets(key)) return { ok: true, settle: SETTLED };
      const reserved = reservationOf(key, estimatedTokens);
      return { ok: true, settle: reserveDayAndMonth({ day, month }, p, reserved, at) };
    },
  };
}
