import type { LimitedProvider, RequestCost } from "@429chain/testing";
import type { ScheduledRequest } from "./freeday-schedule";

/** What one client saw for one scheduled request. */
export interface ClientOutcome {
  index: number;
  sentAt: number;
  /** When the response headers arrived. */
  answeredAt: number;
  /** HTTP status, or 0 when the request failed without one. */
  status: number;
  /** A 200 whose body (or stream, up to `[DONE]`) arrived whole. */
  complete: boolean;
  /** A 429's attempts as the gateway listed them (skips included). */
  attempts?: { provider: string; outcome: string; reason: string }[];
  /** Served after waiting in the queue (x-429chain-queue): its place and its wait. */
  queued?: QueuePlace;
}

export interface QueuePlace {
  ticket: number;
  joinedAt: number;
  waitMs: number;
}

export interface JudgedProvider {
  id: string;
  sim: LimitedProvider;
}

export interface Judgement {
  sent: number;
  served: number;
  client429: number;
  /** Client 429s while some provider of the chain would have served that request. */
  client429WithQuota: number;
  /** Of those, how many each provider could have served (the first with room, chain order). */
  quotaLeftOn: Record<string, number>;
  /** Of those, what the gateway's 429 said about that provider ("provider: outcome — reason"). */
  quotaLeftWhy: Record<string, number>;
  /** Non-429 failures (5xx, broken streams, network errors). */
  otherFailures: number;
  upstream429: number;
  upstream429AfterFirstMinute: number;
  perProvider: Record<string, { ok: number; rateLimited: number; afterFirstMinute: number }>;
  perPhase: Record<string, { sent: number; served: number; client429: number }>;
}

export interface JudgeOptions {
  schedule: readonly ScheduledRequest[];
  outcomes: readonly ClientOutcome[];
  providers: readonly JudgedProvider[];
  costOf(item: ScheduledRequest): RequestCost;
  /** Start of the compressed day (the simulators' window origin). */
  startAt: number;
  minuteMs: number;
  /** Grace after the answer for requests the gateway placed before it but that landed after. */
  toleranceMs: number;
}

/** What the gateway said about one provider in a 429, numbers masked so causes group. */
function explain(provider: string, o: ClientOutcome): string {
  const attempt = o.attempts?.find((a) => a.provider === provider);
  if (!attempt) return `${provider}: not in the 429's attempts`;
  return `${provider}: ${attempt.outcome} - ${attempt.reason.replace(/\d+(\.\d+)?/g, "#")}`;
}

/**
 * A client 429 is counted "while quota was left" when one provider of the chain would have
 * served that very request (its own size) both when it was sent and `toleranceMs` after it
 * was answered, judged on the simulators' exact history: quota that another request took in
 * the meantime, or that only appeared while the request was in flight, does not count.
 */
export function judgeFreeday(options: JudgeOptions): Judgement {
  const { schedule, outcomes, providers, startAt, minuteMs, toleranceMs } = options;
  const byIndex = new Map(schedule.map((s) => [s.index, s]));
  const perPhase: Judgement["perPhase"] = {};
  for (const s of schedule) perPhase[s.phase] ??= { sent: 0, served: 0, client429: 0 };
  let served = 0;
  let client429 = 0;
  let client429WithQuota = 0;
  let otherFailures = 0;
  const quotaLeftOn: Record<string, number> = {};
  const quotaLeftWhy: Record<string, number> = {};
  for (const o of outcomes) {
    const item = byIndex.get(o.index);
    if (!item) continue;
    const phase = perPhase[item.phase]!;
    phase.sent++;
    if (o.status === 200 && o.complete) {
      served++;
      phase.served++;
    } else if (o.status === 429) {
      client429++;
      phase.client429++;
      const cost = options.costOf(item);
      const left = providers.find(
        ({ sim }) =>
          sim.wouldServe(cost, o.sentAt) && sim.wouldServe(cost, o.answeredAt + toleranceMs),
      );
      if (left) {
        client429WithQuota++;
        quotaLeftOn[left.id] = (quotaLeftOn[left.id] ?? 0) + 1;
        const why = explain(left.id, o);
        quotaLeftWhy[why] = (quotaLeftWhy[why] ?? 0) + 1;
      }
    } else {
      otherFailures++;
    }
  }
  const firstMinuteEnd = startAt + minuteMs;
  const perProvider: Judgement["perProvider"] = {};
  let upstream429 = 0;
  let upstream429AfterFirstMinute = 0;
  for (const { id, sim } of providers) {
    const after = sim.rateLimitedAt().filter((at) => at >= firstMinuteEnd).length;
    perProvider[id] = { ok: sim.served(), rateLimited: sim.rateLimited(), afterFirstMinute: after };
    upstream429 += sim.rateLimited();
    upstream429AfterFirstMinute += after;
  }
  return {
    sent: outcomes.length,
    served,
    client429,
    client429WithQuota,
    quotaLeftOn,
    quotaLeftWhy,
    otherFailures,
    upstream429,
    upstream429AfterFirstMinute,
    perProvider,
    perPhase,
  };
}
