import { createLimitLedger, type LimitLedger } from "@429chain/testing";
import type { FreedayProvider } from "./freeday-providers";
import { scheduledCost } from "./freeday-request";
import type { ScheduledRequest } from "./freeday-schedule";

export interface IdealResult {
  /** Provider id that served each scheduled request (by index), or null when none could. */
  servedBy: (string | null)[];
  served: number;
  perProvider: Record<string, number>;
}

export interface IdealTiming {
  minuteMs: number;
  dayMs: number;
}

/**
 * The best an in-order router can do: it knows every provider's windows exactly and has no
 * latency, so each request goes to the first provider of the chain that would serve it.
 */
export function runIdeal(
  schedule: readonly ScheduledRequest[],
  providers: readonly FreedayProvider[],
  timing: IdealTiming,
): IdealResult {
  const ledgers: [FreedayProvider, LimitLedger][] = providers.map((p) => [
    p,
    createLimitLedger({ style: p.style, limits: p.limits, ...timing, startAt: 0 }),
  ]);
  const perProvider: Record<string, number> = Object.fromEntries(providers.map((p) => [p.id, 0]));
  const servedBy: (string | null)[] = [];
  for (const item of [...schedule].sort((a, b) => a.at - b.at || a.index - b.index)) {
    const cost = scheduledCost(item);
    const hit = ledgers.find(([, ledger]) => ledger.wouldServe(cost, item.at));
    if (hit) {
      hit[1].charge(cost, item.at);
      perProvider[hit[0].id] = (perProvider[hit[0].id] ?? 0) + 1;
    }
    servedBy[item.index] = hit ? hit[0].id : null;
  }
  return { servedBy, served: servedBy.filter((s) => s !== null).length, perProvider };
}
