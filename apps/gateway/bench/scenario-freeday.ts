import { readBenchEnv } from "./bench-env";
import type { ScenarioResult, SummaryRow } from "./bench-types";
import type { FreedayVariant } from "./freeday/freeday-config";
import { runIdeal } from "./freeday/freeday-ideal";
import { FREEDAY_PAID } from "./freeday/freeday-paid";
import { FREEDAY_PROVIDERS, rpmCapacity } from "./freeday/freeday-providers";
import { fifoVerdict, queueTable } from "./freeday/freeday-queue";
import {
  declaredTable,
  forecastTable,
  pct,
  perPhaseTable,
  perProviderTable,
  providersTable,
  quotaLeftWhyTable,
  resultsTable,
  scheduleTable,
  shareOfIdeal,
} from "./freeday/freeday-report";
import { DAY_MINUTES, generateSchedule, PHASES } from "./freeday/freeday-schedule";
import { runFreedayVariant, type VariantResult } from "./freeday/freeday-variant";

const VARIANTS: readonly FreedayVariant[] = ["headers-only", "declared", "paid-budget", "queue"];
// A request the gateway placed just before answering another with 429 reaches its fake a
// few ms later; quota it takes then was not "left" for the refused one.
const TOLERANCE_MS = 200;
// A free-tier answer takes 0.3-2 s; scaled like the minute, about a tenth of that.
const UPSTREAM_LATENCY_MS = 100;

const utcDay = (at: number) => Math.floor(at / 86_400_000);
const usd = (micros: number) => `$${(micros / 1_000_000).toFixed(4)}`;
const PREFIX = {
  "headers-only": "headersOnly",
  declared: "declared",
  "paid-budget": "paidBudget",
  queue: "queue",
} as const;

/**
 * A compressed free-tier day (issue 11): four quota-enforcing fakes, three keys, two
 * replicas, calm phases and a burst at twice the capacity; the gateway learning from headers
 * only, then with the limits compressed time can express also declared; both against the
 * ideal in-order router replaying the same schedule.
 */
export async function runFreeday(_sharedUpstreamUrl: string): Promise<ScenarioResult> {
  const env = readBenchEnv();
  const minuteMs = Math.round(env.BENCH_FREEDAY_DAY_MS / DAY_MINUTES);
  const dayMs = minuteMs * DAY_MINUTES;
  const providers = FREEDAY_PROVIDERS;
  const capacity = rpmCapacity(providers);
  const seed = env.BENCH_FREEDAY_SEED;
  const schedule = generateSchedule({ seed, minuteMs, capacityPerMinute: capacity });
  const ideal = runIdeal(schedule, providers, { minuteMs, dayMs });
  const runs: VariantResult[] = [];
  for (const variant of VARIANTS) {
    runs.push(
      await runFreedayVariant({
        variant,
        providers,
        schedule,
        minuteMs,
        dayMs,
        toleranceMs: TOLERANCE_MS,
        upstreamLatencyMs: UPSTREAM_LATENCY_MS,
      }),
    );
  }
  const summary: SummaryRow[] = runs.flatMap((r) => [
    {
      figure: `freeday (${r.variant}): served / ideal`,
      value: pct(shareOfIdeal(r.judgement, ideal)),
      target: ">= 99%",
    },
    {
      figure: `freeday (${r.variant}): upstream 429s after minute 1`,
      value: String(r.judgement.upstream429AfterFirstMinute),
      target: "0",
    },
    {
      figure: `freeday (${r.variant}): client 429s while quota left`,
      value: String(r.judgement.client429WithQuota),
      target: "0",
    },
  ]);
  const paid = runs.find((r) => r.paid)?.paid;
  if (paid) {
    summary.push(
      {
        figure: "freeday (paid within budget): money spent / daily budget",
        value: `${usd(paid.spentMicros)} / ${usd(paid.budgetMicros)} (billed ${usd(paid.billedMicros)})`,
        target: "never over",
      },
      {
        figure: "freeday (paid within budget): paid calls while free quota was left",
        value: `${paid.callsWithFreeQuota} of ${paid.calls}`,
        target: "0",
      },
    );
  }
  const figures: ScenarioResult["figures"] = {
    seed,
    minuteMs,
    dayMs,
    requests: schedule.length,
    idealServed: ideal.served,
    judgeToleranceMs: TOLERANCE_MS,
  };
  for (const r of runs) {
    const j = r.judgement;
    const prefix = PREFIX[r.variant];
    if (r.paid) {
      for (const [key, n] of Object.entries(r.paid)) figures[`${prefix}.paid.${key}`] = n;
    }
    if (r.queue) {
      for (const [key, value] of Object.entries(r.queue)) figures[`${prefix}.queue.${key}`] = value;
    }
    figures[`${prefix}.servedShareOfIdeal`] = shareOfIdeal(j, ideal);
    for (const key of [
      "sent",
      "served",
      "client429",
      "client429WithQuota",
      "otherFailures",
      "upstream429",
      "upstream429AfterFirstMinute",
    ] as const) {
      figures[`${prefix}.${key}`] = j[key];
    }
    for (const [id, n] of Object.entries(j.quotaLeftOn)) figures[`${prefix}.quotaLeftOn.${id}`] = n;
    for (const [why, n] of Object.entries(j.quotaLeftWhy)) {
      figures[`${prefix}.quotaLeftWhy.${why}`] = n;
    }
    for (const f of r.forecasts) {
      figures[`${prefix}.forecast.${f.id}.spentAtMin`] = f.spentAtMin;
      figures[`${prefix}.forecast.${f.id}.leadMin`] = f.leadMin;
      figures[`${prefix}.forecast.${f.id}.medianErrorMin`] = f.medianErrorMin;
      figures[`${prefix}.forecast.${f.id}.falseAlarms`] = f.falseAlarms;
    }
    for (const [id, u] of Object.entries(j.perProvider)) {
      figures[`${prefix}.${id}.ok`] = u.ok;
      figures[`${prefix}.${id}.rateLimited`] = u.rateLimited;
      figures[`${prefix}.${id}.rateLimitedAfterFirstMinute`] = u.afterFirstMinute;
      figures[`ideal.${id}.ok`] = ideal.perProvider[id] ?? 0;
    }
  }
  const queued = runs.find((r) => r.queue)?.queue;
  if (queued) {
    summary.push(
      {
        figure: "freeday (queue mode): served from the queue",
        value: String(queued.served),
        target: "-",
      },
      {
        figure: "freeday (queue mode): queue wait p50 / p99",
        value: `${queued.waitP50Ms ?? "-"} ms / ${queued.waitP99Ms ?? "-"} ms`,
        target: "-",
      },
      {
        figure: "freeday (queue mode): FIFO across replicas",
        value: fifoVerdict(queued),
        target: "yes",
      },
    );
  }
  const notes = [
    "Queue mode: the headers-only gateway with queueMode on (queueMaxWaitMs two compressed minutes); a request's wait runs from joining the queue to the lease of the attempt that served it, as the gateway reports it (x-429chain-queue); FIFO compares leases in ticket order (the queue's running number across both replicas).",
    "The fakes run in this process, beside the load generator, so the judge reads the same clock they count with; the two gateways are separate processes.",
    `A client 429 counts as "while quota was left" when a provider of the chain would have served that very request both when it was sent and ${TOLERANCE_MS} ms after it was answered, judged on the fakes' exact history.`,
    "The fakes count a request as 1 request and characters/4 of its messages' text plus the completion they generate (min(max_tokens, 96)) as tokens, in fixed windows aligned to minute 0; Cerebras admits on prompt + max_tokens (pre-charge), Gemini's TPM counts input tokens only.",
    "Reporting as the real APIs do: OpenRouter 200s carry no rate-limit headers, Cerebras 429s no retry-after, Gemini answers no headers and a RetryInfo truncated to whole seconds (and a short delay even for a per-day violation).",
    `The gateways' default 429 cooldown (60 s: one real minute) and its cap (30 min) are scaled to ${minuteMs / 1000} s and ${(30 * minuteMs) / 1000} s, one and thirty compressed minutes.`,
    "Declared windows are real minutes and UTC days: only the compressed day's RPD/TPD are declared (valid for one compressed day inside one UTC day); RPM/TPM cannot be expressed.",
    `'Paid within budget' is 'limits declared' with the four providers marked free and a paid entry last (${FREEDAY_PAID.type}/${FREEDAY_PAID.model} at the table's $${FREEDAY_PAID.price.inputPerMTok}/$${FREEDAY_PAID.price.outputPerMTok} per million tokens) under a $${FREEDAY_PAID.dailyUsd} daily budget: its served share can pass the ideal (which has no paid entry). Money spent is what both replicas counted in Redis; billed is the paid fake's own answers at the same price. A paid call counts "while free quota was left" when a free provider would have served that request both when the paid call arrived and ${TOLERANCE_MS} ms later.`,
  ];
  const declared = runs.find((r) => r.variant === "declared");
  if (declared && utcDay(declared.startAt) !== utcDay(declared.endedAt)) {
    notes.push(
      "The 'limits declared' run crossed 00:00 UTC: its declared daily windows restarted mid-run, so its figures are not comparable.",
    );
  }
  return {
    name: "freeday",
    tables: [
      providersTable(providers, minuteMs, dayMs),
      scheduleTable(PHASES, schedule, ideal, seed, capacity),
      declaredTable(providers, minuteMs),
      resultsTable(runs, ideal),
      perProviderTable(providers, runs, ideal),
      perPhaseTable(PHASES, runs, schedule, ideal),
      quotaLeftWhyTable(runs),
      forecastTable(runs),
      ...(queued ? [queueTable(queued)] : []),
    ],
    summary,
    figures,
    notes,
  };
}
