import type { Table } from "../bench-types";
import { declaredPlan } from "./freeday-config";
import type { IdealResult } from "./freeday-ideal";
import type { Judgement } from "./freeday-judge";
import type { FreedayProvider } from "./freeday-providers";
import type { Phase, ScheduledRequest } from "./freeday-schedule";
import type { VariantResult } from "./freeday-variant";

const VARIANT_LABEL = {
  "headers-only": "headers only",
  declared: "limits declared",
  "paid-budget": "paid within budget",
  queue: "queue mode",
} as const;
const num = (v: number | undefined) => (v === undefined ? "-" : v.toLocaleString("en-US"));

export function shareOfIdeal(j: Judgement, ideal: IdealResult): number | null {
  return ideal.served === 0 ? null : j.served / ideal.served;
}

export const pct = (v: number | null) => (v === null ? "n/a" : `${(v * 100).toFixed(1)}%`);

export function providersTable(
  providers: readonly FreedayProvider[],
  minuteMs: number,
  dayMs: number,
): Table {
  return {
    title: `freeday: the chain, in order (compressed minute = ${minuteMs / 1000} s, day = ${dayMs / 1000} s)`,
    headers: ["provider (type)", "RPM", "RPD", "TPM", "TPD", "what its answers report"],
    rows: providers.map((p) => [
      `${p.id} (${p.type})`,
      num(p.limits.rpm),
      num(p.limits.rpd),
      num(p.limits.tpm),
      num(p.limits.tpd),
      p.reports,
    ]),
  };
}

export function scheduleTable(
  phases: readonly Phase[],
  schedule: readonly ScheduledRequest[],
  ideal: IdealResult,
  seed: number,
  capacity: number,
): Table {
  return {
    title: `freeday: traffic (seed ${seed}, 3 client keys, 2 replicas; load × ${capacity} req/min RPM capacity)`,
    headers: ["phase", "minutes", "load", "requests", "streamed", "ideal serves"],
    rows: phases.map((p) => {
      const items = schedule.filter((s) => s.phase === p.name);
      const ideally = items.filter((s) => ideal.servedBy[s.index] !== null).length;
      return [
        p.name,
        `${p.fromMinute}-${p.toMinute}`,
        `${p.load}×`,
        num(items.length),
        num(items.filter((s) => s.stream).length),
        num(ideally),
      ];
    }),
  };
}

function quotaLeft(j: Judgement): string {
  const parts = Object.entries(j.quotaLeftOn).map(([id, n]) => `${id} ${n}`);
  return parts.length === 0 ? "-" : parts.join(", ");
}

export function resultsTable(runs: readonly VariantResult[], ideal: IdealResult): Table {
  const col = (f: (j: Judgement) => string) => runs.map((r) => f(r.judgement));
  return {
    title: "freeday: one compressed day per gateway variant",
    headers: ["figure", ...runs.map((r) => VARIANT_LABEL[r.variant]), "goal"],
    rows: [
      ["requests sent", ...col((j) => num(j.sent)), "-"],
      ["ideal serves (in-order, knows every window)", ...runs.map(() => num(ideal.served)), "-"],
      ["served (HTTP 200, whole)", ...col((j) => num(j.served)), "-"],
      ["served / ideal", ...col((j) => pct(shareOfIdeal(j, ideal))), ">= 99%"],
      ["client 429s", ...col((j) => num(j.client429)), "-"],
      ["client 429s while quota was left", ...col((j) => num(j.client429WithQuota)), "0"],
      ["… quota left on (first in chain order)", ...col((j) => quotaLeft(j)), "-"],
      ["other client failures", ...col((j) => num(j.otherFailures)), "0"],
      ["upstream 429s (wasted)", ...col((j) => num(j.upstream429)), "-"],
      [
        "upstream 429s after the first minute",
        ...col((j) => num(j.upstream429AfterFirstMinute)),
        "0",
      ],
    ],
  };
}

export function perProviderTable(
  providers: readonly FreedayProvider[],
  runs: readonly VariantResult[],
  ideal: IdealResult,
): Table {
  return {
    title:
      "freeday: per-provider use (upstream 200s / 429s, 429s after the first minute in brackets)",
    headers: ["provider", "ideal 200s", ...runs.map((r) => VARIANT_LABEL[r.variant])],
    rows: providers.map((p) => [
      p.id,
      num(ideal.perProvider[p.id]),
      ...runs.map((r) => {
        const u = r.judgement.perProvider[p.id];
        return u ? `${u.ok} / ${u.rateLimited} (${u.afterFirstMinute})` : "-";
      }),
    ]),
  };
}

export function perPhaseTable(
  phases: readonly Phase[],
  runs: readonly VariantResult[],
  schedule: readonly ScheduledRequest[],
  ideal: IdealResult,
): Table {
  return {
    title: "freeday: per phase (served / client 429s)",
    headers: ["phase", "sent", "ideal", ...runs.map((r) => VARIANT_LABEL[r.variant])],
    rows: phases.map((p) => {
      const items = schedule.filter((s) => s.phase === p.name);
      return [
        p.name,
        num(items.length),
        num(items.filter((s) => ideal.servedBy[s.index] !== null).length),
        ...runs.map((r) => {
          const ph = r.judgement.perPhase[p.name];
          return ph ? `${ph.served} / ${ph.client429}` : "-";
        }),
      ];
    }),
  };
}

export function declaredTable(providers: readonly FreedayProvider[], minuteMs: number): Table {
  return {
    title:
      "freeday: what the 'limits declared' variant declares (declared windows are real minutes and UTC days)",
    headers: ["provider", "declared", "not declarable", "why"],
    rows: providers.map((p) => {
      const plan = declaredPlan(p, minuteMs);
      const where = plan.scope === "provider" ? "rateLimits" : "modelRateLimits";
      const declared = Object.entries(plan.declared)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ");
      return [
        p.id,
        declared === "" ? "-" : `${where}: ${declared}`,
        plan.notDeclared.map((n) => n.limit).join(", ") || "-",
        plan.notDeclared[0]?.why ?? "-",
      ];
    }),
  };
}

/** Why the gateway refused while a provider had room, most frequent causes first. */
export function quotaLeftWhyTable(runs: readonly VariantResult[]): Table {
  const keys = new Map<string, number>();
  for (const r of runs) {
    for (const [k, n] of Object.entries(r.judgement.quotaLeftWhy))
      keys.set(k, (keys.get(k) ?? 0) + n);
  }
  const rows = [...keys.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k]) => [k, ...runs.map((r) => num(r.judgement.quotaLeftWhy[k] ?? 0))]);
  return {
    title:
      "freeday: client 429s while quota was left - what the 429 said about the provider that had room",
    headers: ["provider: attempt outcome - reason", ...runs.map((r) => VARIANT_LABEL[r.variant])],
    rows: rows.length > 0 ? rows : [["(none)", ...runs.map(() => "0")]],
  };
}

const minutes = (v: number | null) => (v === null ? "-" : v.toFixed(1));

/** Issue 15: how early and how accurately GET /v1/quota saw each day run out. */
export function forecastTable(runs: readonly VariantResult[]): Table {
  return {
    title:
      "freeday: the quota forecast against each provider's actual end of day (compressed minutes)",
    headers: [
      "variant",
      "provider",
      "day spent at",
      "first warned, before",
      "median error, last 5 min",
      "false alarms",
    ],
    rows: runs.flatMap((r) =>
      r.forecasts.map((f) => [
        VARIANT_LABEL[r.variant],
        f.id,
        f.spentAtMin === null ? "lasted" : `min ${minutes(f.spentAtMin)}`,
        minutes(f.leadMin),
        minutes(f.medianErrorMin),
        num(f.falseAlarms),
      ]),
    ),
  };
}
