import type { KeyPeriods } from "./periods";

/** Counters in this process that lapse at their period's end: the memory limiters' state. */
export interface PeriodCounters {
  get(name: string, at: number): number;
  /** Adds `by` (never below zero) to a counter that lapses at `end`. */
  add(name: string, by: number, end: number, at: number): void;
  /**
   * Adds `reserved` to the day and month counters; the returned settle replaces it with what
   * was actually used.
   */
  reserveDayAndMonth(
    names: { day: string; month: string },
    p: KeyPeriods,
    reserved: number,
    at: number,
  ): (used: number) => Promise<void>;
}

/** Past this many counters, lapsed ones are dropped. */
const PRUNE_AT = 100_000;

export function createPeriodCounters(now: () => number): PeriodCounters {
  const counters = new Map<string, { n: number; end: number }>();
  const get = (name: string, at: number) => {
    const c = counters.get(name);
    return c && c.end > at ? c.n : 0;
  };
  const add = (name: string, by: number, end: number, at: number) => {
    counters.set(name, { n: Math.max(0, get(name, at) + by), end });
    if (counters.size > PRUNE_AT) {
      for (const [k, c] of counters) if (c.end <= at) counters.delete(k);
    }
  };
  return {
    get,
    add,
    reserveDayAndMonth({ day, month }, p, reserved, at) {
      add(day, reserved, p.day.end, at);
      add(month, reserved, p.month.end, at);
      return async (used) => {
        const delta = Math.ceil(used) - reserved;
        const t = now();
        add(day, delta, p.day.end, t);
        add(month, delta, p.month.end, t);
      };
    },
  };
}
