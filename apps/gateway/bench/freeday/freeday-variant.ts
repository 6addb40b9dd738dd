import { setTimeout as delay } from "node:timers/promises";
import { createRedisSpendBudgets } from "@429chain/quota";
import {
  createLimitedProvider,
  type FakeUpstream,
  startFakeUpstream,
  TEST_REDIS_URL,
} from "@429chain/testing";
import { Redis } from "ioredis";
import { type GatewayChild, startGatewayChild } from "../gateway-child";
import {
  buildFreedayConfig,
  FREEDAY_CHAIN,
  FREEDAY_KEYS,
  type FreedayVariant,
} from "./freeday-config";
import { type ForecastJudgement, judgeForecasts, watchForecasts } from "./freeday-forecast";
import { type JudgedProvider, type Judgement, judgeFreeday } from "./freeday-judge";
import { createPaidFake, FREEDAY_CHAIN_SCOPE, type PaidFigures } from "./freeday-paid";
import { COMPLETION_TOKENS, type FreedayProvider } from "./freeday-providers";
import { type QueueFigures, queueFigures } from "./freeday-queue";
import { scheduledCost } from "./freeday-request";
import type { ScheduledRequest } from "./freeday-schedule";
import { replaySchedule } from "./freeday-traffic";

export interface VariantOptions {
  variant: FreedayVariant;
  providers: readonly FreedayProvider[];
  schedule: readonly ScheduledRequest[];
  minuteMs: number;
  dayMs: number;
  toleranceMs: number;
  /** Time a fake takes to answer a 200 (a 429 is immediate). */
  upstreamLatencyMs: number;
}

export interface VariantResult {
  variant: FreedayVariant;
  judgement: Judgement;
  /** The 'paid within budget' variant: money spent against the budget, paid calls. */
  paid?: PaidFigures;
  /** The queue mode variant's queue: served from it, waits, order. */
  queue?: QueueFigures;
  startAt: number;
  endedAt: number;
  /** How early and how well GET /v1/quota saw each provider's day run out. */
  forecasts: ForecastJudgement[];
}

// Looks at the ledger four times a compressed minute; the forecast is judged over the last
// five compressed minutes before each provider's day ran out.
const LOOKS_PER_MINUTE = 4;
const FORECAST_HORIZON_MIN = 5;

// Time between the replicas being ready and minute 0, so no request is sent late.
const LEAD_MS = 1_000;

async function startReplicas(variant: FreedayVariant, upstream: FakeUpstream, config: unknown) {
  const env = { REQUEST_LOGS: "off" };
  const first = await startGatewayChild(`freeday-${variant}`, upstream.url, "file", {
    config,
    env,
  });
  try {
    const second = await startGatewayChild(`freeday-${variant}`, upstream.url, "file", {
      config,
      env,
      redisPrefix: first.redisPrefix,
    });
    return [first, second];
  } catch (err) {
    await first.stop();
    throw err;
  }
}

/** One compressed day through two fresh replicas sharing one Redis prefix and fresh fakes. */
export async function runFreedayVariant(options: VariantOptions): Promise<VariantResult> {
  const upstream = await startFakeUpstream();
  let replicas: GatewayChild[] = [];
  try {
    const config = buildFreedayConfig({ upstreamUrl: upstream.url, ...options });
    replicas = await startReplicas(options.variant, upstream, config);
    const startAt = Date.now() + LEAD_MS;
    const judged: JudgedProvider[] = options.providers.map((p) => ({
      id: p.id,
      sim: createLimitedProvider({
        style: p.style,
        limits: p.limits,
        minuteMs: options.minuteMs,
        dayMs: options.dayMs,
        startAt,
        completionTokens: COMPLETION_TOKENS,
        latencyMs: options.upstreamLatencyMs,
      }),
    }));
    for (const [i, p] of options.providers.entries()) {
      upstream.setDefault(`${p.path}/chat/completions`, judged[i]!.sim.respond);
    }
    const watched = options.providers.map((p, i) => ({
      id: p.id,
      label: `${p.id}/${p.model}`,
      sim: judged[i]!.sim,
    }));
    const watch = watchForecasts({
      url: replicas[0]!.url,
      key: FREEDAY_KEYS[0]!,
      everyMs: Math.max(100, Math.round(options.minuteMs / LOOKS_PER_MINUTE)),
      providers: watched,
    });
    const paid =
      options.variant === "paid-budget" ? createPaidFake(options.upstreamLatencyMs) : null;
    if (paid) upstream.setDefault("/paid/chat/completions", paid.respond);
    const outcomes = await replaySchedule({
      schedule: options.schedule,
      replicas: replicas.map((r) => r.url),
      startAt,
      keys: FREEDAY_KEYS,
      model: FREEDAY_CHAIN,
    });
    const endedAt = Date.now();
    const forecasts = judgeForecasts(await watch.stop(), watched, {
      startAt,
      minuteMs: options.minuteMs,
      dayEndAt: startAt + options.dayMs,
      horizonMin: FORECAST_HORIZON_MIN,
    });
    const judgement = judgeFreeday({
      schedule: options.schedule,
      outcomes,
      providers: judged,
      costOf: scheduledCost,
      startAt,
      minuteMs: options.minuteMs,
      toleranceMs: options.toleranceMs,
    });
    const spent = paid ? await spentOf(replicas[0]!.redisPrefix) : 0;
    return {
      variant: options.variant,
      judgement,
      startAt,
      endedAt,
      forecasts,
      ...(paid ? { paid: paid.figures(judged, spent, options.toleranceMs) } : {}),
      ...(options.variant === "queue" ? { queue: queueFigures(outcomes) } : {}),
    };
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
    await upstream.close();
  }
}

/** What both replicas counted against the chain's budget, once the last settles landed. */
async function spentOf(prefix: string): Promise<number> {
  await delay(500);
  const redis = new Redis(TEST_REDIS_URL);
  try {
    const budgets = createRedisSpendBudgets({ redis, prefix });
    return (await budgets.spent(FREEDAY_CHAIN_SCOPE)).dayMicros;
  } finally {
    redis.disconnect();
  }
}
