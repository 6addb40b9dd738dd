import type { QuotaLedger } from "@429chain/contracts";
import type { LimitedProvider } from "@429chain/testing";

/** A provider of the day as the forecast judge sees it: its entry label and its fake. */
export interface WatchedProvider {
  id: string;
  label: string;
  sim: LimitedProvider;
}

/** One look at GET /v1/quota beside the fakes' exact state at the same instant. */
export interface ForecastSample {
  at: number;
  /** Per provider: the earliest forecast end of its day windows (null: lasts the day). */
  runsOutAt: Record<string, number | null>;
  /** Per provider: whether its day quota is actually spent (a typical request no longer fits). */
  spent: Record<string, boolean>;
  /** The chain's forecast of its own end for the day. */
  chainExhaustedAt: number | null;
}

// A freeday request costs about 150 tokens; a day window with less left is spent in effect.
const TOKENS_OF_ONE_REQUEST = 150;

function spentForDay(sim: LimitedProvider, at: number): boolean {
  return sim
    .remaining(at)
    .some(
      (w) => w.period === "day" && w.remaining < (w.unit === "tokens" ? TOKENS_OF_ONE_REQUEST : 1),
    );
}

function sampleOf(ledger: QuotaLedger, providers: readonly WatchedProvider[], at: number) {
  const runsOutAt: ForecastSample["runsOutAt"] = {};
  const spent: ForecastSample["spent"] = {};
  for (const p of providers) {
    const entry = ledger.entries.find((e) => e.label === p.label);
    const ends = (entry?.windows ?? [])
      .filter((w) => w.period === "day" && w.runsOutAt !== null)
      .map((w) => w.runsOutAt as number);
    runsOutAt[p.id] = ends.length > 0 ? Math.min(...ends) : null;
    spent[p.id] = spentForDay(p.sim, at);
  }
  return { at, runsOutAt, spent, chainExhaustedAt: ledger.chains[0]?.exhaustedAt ?? null };
}

/** Polls one replica's GET /v1/quota every `everyMs` until stopped. */
export function watchForecasts(options: {
  url: string;
  key: string;
  everyMs: number;
  providers: readonly WatchedProvider[];
}): { stop(): Promise<ForecastSample[]> } {
  const samples: ForecastSample[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const started = Date.now();
      try {
        const res = await fetch(`${options.url}/v1/quota`, {
          headers: { authorization: `Bearer ${options.key}` },
          signal: AbortSignal.timeout(options.everyMs * 4),
        });
        if (res.ok) {
          const ledger = (await res.json()) as QuotaLedger;
          samples.push(sampleOf(ledger, options.providers, Date.now()));
        } else {
          await res.body?.cancel();
        }
      } catch {
        // A missed look is a gap in the samples, nothing more.
      }
      await new Promise((r) =>
        setTimeout(r, Math.max(0, options.everyMs - (Date.now() - started))),
      );
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      return samples;
    },
  };
}

export interface ForecastJudgement {
  id: string;
  /** Minutes into the day when its day quota was actually spent (null: it lasted). */
  spentAtMin: number | null;
  /** How many minutes before that the forecast first said it would end within the day. */
  leadMin: number | null;
  /** Median |forecast - actual| over the samples of the last `horizonMin` before the end. */
  medianErrorMin: number | null;
  /** Samples that forecast an end within the day for a provider whose quota lasted. */
  falseAlarms: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? null : (s[Math.floor((s.length - 1) / 2)] as number);
};

/** How early and how accurately the forecast saw each provider's day run out. */
export function judgeForecasts(
  samples: readonly ForecastSample[],
  providers: readonly WatchedProvider[],
  options: { startAt: number; minuteMs: number; dayEndAt: number; horizonMin: number },
): ForecastJudgement[] {
  const min = (ms: number) => ms / options.minuteMs;
  return providers.map((p) => {
    const spentAt = samples.find((s) => s.spent[p.id])?.at ?? null;
    const before = samples.filter((s) => spentAt === null || s.at < spentAt);
    const warnings = before.filter((s) => {
      const end = s.runsOutAt[p.id];
      return end !== null && end !== undefined && end <= options.dayEndAt;
    });
    if (spentAt === null) {
      return {
        id: p.id,
        spentAtMin: null,
        leadMin: null,
        medianErrorMin: null,
        falseAlarms: warnings.length,
      };
    }
    const horizon = spentAt - options.horizonMin * options.minuteMs;
    const errors = warnings
      .filter((s) => s.at >= horizon)
      .map((s) => Math.abs(min((s.runsOutAt[p.id] as number) - spentAt)));
    const first = warnings[0];
    return {
      id: p.id,
      spentAtMin: min(spentAt - options.startAt),
      leadMin: first ? min(spentAt - first.at) : null,
      medianErrorMin: median(errors),
      falseAlarms: 0,
    };
  });
}
