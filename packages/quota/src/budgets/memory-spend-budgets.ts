import { keyPeriods } from "../key-limits/periods";
import { overLimit, type SpendBudgets, type SpendLimits, type SpendReservation } from "./types";

/** The same counts in this process: the gateway without Redis (the quickstart). */
export function createMemorySpendBudgets(opts: { now?: () => number } = {}): SpendBudgets {
  const now = opts.now ?? Date.now;
  const counters = new Map<string, { n: number; end: number }>();
  const get = (name: string, at: number) => {
    const c = counters.get(name);
    return c && c.end > at ? c.n : 0;
  };
  const add = (name: string, by: number, end: number, at: number) => {
    counters.set(name, { n: Math.max(0, get(name, at) + by), end });
    if (counters.size > 100_000) {
      for (const [k, c] of counters) if (c.end <= at) counters.delete(k);
    }
  };

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
      add(day, micros, p.day.end, at);
      add(month, micros, p.month.end, at);
      return {
        ok: true,
        async settle(cost) {
          const delta = Math.ceil(cost) - micros;
          const t = now();
          add(day, delta, p.day.end, t);
          add(month, delta, p.month.end, t);
        },
      };
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
