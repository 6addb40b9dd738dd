import { createLimitedProvider, type FakeUpstream, startFakeUpstream } from "@429chain/testing";
import { type GatewayChild, startGatewayChild } from "../gateway-child";
import {
  buildFreedayConfig,
  FREEDAY_CHAIN,
  FREEDAY_KEYS,
  type FreedayVariant,
} from "./freeday-config";
import { type JudgedProvider, type Judgement, judgeFreeday } from "./freeday-judge";
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
  /** The queue mode variant's queue: served from it, waits, order. */
  queue?: QueueFigures;
  startAt: number;
  endedAt: number;
}

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
    const outcomes = await replaySchedule({
      schedule: options.schedule,
      replicas: replicas.map((r) => r.url),
      startAt,
      keys: FREEDAY_KEYS,
      model: FREEDAY_CHAIN,
    });
    const endedAt = Date.now();
    const judgement = judgeFreeday({
      schedule: options.schedule,
      outcomes,
      providers: judged,
      costOf: scheduledCost,
      startAt,
      minuteMs: options.minuteMs,
      toleranceMs: options.toleranceMs,
    });
    return {
      variant: options.variant,
      judgement,
      ...(options.variant === "queue" ? { queue: queueFigures(outcomes) } : {}),
      startAt,
      endedAt,
    };
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
    await upstream.close();
  }
}
