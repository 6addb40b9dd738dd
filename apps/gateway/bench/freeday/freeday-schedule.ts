import { seededRandom } from "./seeded-random";

/** A stretch of the compressed day with a steady load, as a multiple of the RPM capacity. */
export interface Phase {
  name: string;
  fromMinute: number;
  toMinute: number;
  load: number;
}

export const DAY_MINUTES = 20;

// Calm phases below capacity around one burst at twice the capacity.
export const PHASES: readonly Phase[] = [
  { name: "morning (calm)", fromMinute: 0, toMinute: 6, load: 0.5 },
  { name: "burst", fromMinute: 6, toMinute: 8, load: 2 },
  { name: "afternoon (calm)", fromMinute: 8, toMinute: 16, load: 0.5 },
  { name: "evening (calm)", fromMinute: 16, toMinute: DAY_MINUTES, load: 0.25 },
];

export interface ScheduledRequest {
  index: number;
  /** Offset from the start of the day, ms. */
  at: number;
  phase: string;
  /** Index of the client key (0-based). */
  key: number;
  promptChars: number;
  maxTokens: number;
  stream: boolean;
}

export interface ScheduleOptions {
  seed: number;
  minuteMs: number;
  /** Requests per compressed minute at load 1. */
  capacityPerMinute: number;
  phases?: readonly Phase[];
  /** Share of the traffic per client key. */
  keyWeights?: readonly number[];
  streamShare?: number;
}

const MAX_TOKENS = [32, 64, 128, 256, 512] as const;

function pick<T>(items: readonly T[], weights: readonly number[], r: number): T {
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  for (const [i, item] of items.entries()) {
    acc += (weights[i] ?? 0) / total;
    if (r < acc) return item;
  }
  return items[items.length - 1]!;
}

// Mostly short chats, some pasted documents: 60% 200-1,200 characters, 30% up to 3,200,
// 10% up to 6,000 (50 to 1,500 prompt tokens).
function promptChars(r: () => number): number {
  const bucket = r();
  const [lo, hi] = bucket < 0.6 ? [200, 1_200] : bucket < 0.9 ? [1_200, 3_200] : [3_200, 6_000];
  return Math.round(lo + r() * (hi - lo));
}

/**
 * A compressed day of traffic: Poisson arrivals at each phase's rate, request sizes, keys and
 * streaming drawn from one seeded generator, so every run replays the same day.
 */
export function generateSchedule(options: ScheduleOptions): ScheduledRequest[] {
  const r = seededRandom(options.seed);
  const phases = options.phases ?? PHASES;
  const weights = options.keyWeights ?? [0.5, 0.3, 0.2];
  const keys = weights.map((_, i) => i);
  const out: ScheduledRequest[] = [];
  for (const phase of phases) {
    const end = phase.toMinute * options.minuteMs;
    const perMs = (phase.load * options.capacityPerMinute) / options.minuteMs;
    let at = phase.fromMinute * options.minuteMs;
    for (;;) {
      at += -Math.log(1 - r()) / perMs;
      if (at >= end) break;
      out.push({
        index: out.length,
        at: Math.floor(at),
        phase: phase.name,
        key: pick(keys, weights, r()),
        promptChars: promptChars(r),
        maxTokens: pick(MAX_TOKENS, [2, 3, 3, 2, 1], r()),
        stream: r() < (options.streamShare ?? 0.3),
      });
    }
  }
  return out;
}
