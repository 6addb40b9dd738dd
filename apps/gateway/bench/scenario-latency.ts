import { setTimeout as delay } from "node:timers/promises";
import { Pool } from "undici";
import { CHAINS, directTarget, gatewayTarget, type Target } from "./bench-config";
import type { ScenarioResult } from "./bench-types";
import { fmtMs, fmtNum, fmtSigned } from "./format";
import { startGatewayChild } from "./gateway-child";
import { MOCK } from "./mock-routes";
import { readCpuMs } from "./proc-cpu";
import { type Distribution, summarize } from "./stats";

export const RATE_HZ = 500;
const WARMUP_MS = 2_000;
const MEASURE_MS = 10_000;
const DRAIN_TIMEOUT_MS = 15_000;

interface OpenLoopRun {
  latencies: number[];
  errors: number;
  sent: number;
  achievedHz: number;
  /** How late the scheduler fired requests, worst case (timer granularity). */
  maxLagMs: number;
}

/** Fires a request every 1000/rate ms whatever the replies do; bounded by count and time. */
async function openLoop(pool: Pool, target: Target, durationMs: number): Promise<OpenLoopRun> {
  const intervalMs = 1000 / RATE_HZ;
  const total = Math.round(durationMs / intervalMs);
  const body = target.body(false);
  const latencies: number[] = [];
  const pending = new Set<Promise<void>>();
  let errors = 0;
  let maxLagMs = 0;
  const fire = () => {
    const t0 = performance.now();
    const done = pool
      .request({ method: "POST", path: target.path, headers: target.headers, body })
      .then(async (res) => {
        await res.body.arrayBuffer();
        const elapsed = performance.now() - t0;
        if (res.statusCode === 200) latencies.push(elapsed);
        else errors++;
      })
      .catch(() => {
        errors++;
      })
      .finally(() => pending.delete(done));
    pending.add(done);
  };
  const start = performance.now();
  let sent = 0;
  while (sent < total) {
    const now = performance.now();
    const due = Math.min(total, Math.floor((now - start) / intervalMs) + 1);
    if (due > sent) maxLagMs = Math.max(maxLagMs, now - (start + sent * intervalMs));
    while (sent < due) {
      fire();
      sent++;
    }
    await delay(Math.max(0, start + sent * intervalMs - performance.now()));
  }
  const elapsed = performance.now() - start;
  await Promise.race([Promise.allSettled([...pending]), delay(DRAIN_TIMEOUT_MS)]);
  errors += pending.size;
  return { latencies, errors, sent, achievedHz: (sent / elapsed) * 1000, maxLagMs };
}

/** Column headers of a latency table, in the order `row` fills them. */
export const LATENCY_HEADERS = [
  "target",
  "sent",
  "req/s",
  "errors",
  "p50",
  "p90",
  "p99",
  "max",
  "sched lag max",
  "gw CPU/req",
];

export interface Measured {
  run: OpenLoopRun;
  dist: Distribution;
  /** CPU the gateway process used per request while measured. */
  gatewayCpuMs: number | null;
  /** Requests sent during the warm-up (not in `run`). */
  warmupSent: number;
}

export async function measure(
  target: Target,
  gatewayPid: number,
  durations: { warmupMs: number; measureMs: number } = {
    warmupMs: WARMUP_MS,
    measureMs: MEASURE_MS,
  },
): Promise<Measured> {
  const pool = new Pool(target.origin, {
    connections: 256,
    pipelining: 1,
    headersTimeout: 10_000,
    bodyTimeout: 10_000,
  });
  try {
    const warmup = await openLoop(pool, target, durations.warmupMs);
    const cpuBefore = readCpuMs(gatewayPid);
    const run = await openLoop(pool, target, durations.measureMs);
    const cpuAfter = readCpuMs(gatewayPid);
    const gatewayCpuMs =
      cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / run.sent;
    return { run, dist: summarize(run.latencies), gatewayCpuMs, warmupSent: warmup.sent };
  } finally {
    await pool.close();
  }
}

export function row(label: string, m: Measured): string[] {
  const { dist, run } = m;
  return [
    label,
    fmtNum(run.sent),
    fmtNum(run.achievedHz, 1),
    fmtNum(run.errors),
    fmtMs(dist.p50),
    fmtMs(dist.p90),
    fmtMs(dist.p99),
    fmtMs(dist.max),
    fmtMs(run.maxLagMs),
    fmtMs(m.gatewayCpuMs),
  ];
}

/** Added latency at a fixed 500 req/s, non-streaming, direct and through the gateway. */
export async function runLatency(upstreamUrl: string): Promise<ScenarioResult> {
  const gw = await startGatewayChild("latency", upstreamUrl);
  try {
    const direct = await measure(directTarget(upstreamUrl, MOCK.fast), gw.pid);
    const via = await measure(gatewayTarget(gw.url, CHAINS.fast), gw.pid);
    const addedP50 = via.dist.p50 - direct.dist.p50;
    const addedP99 = via.dist.p99 - direct.dist.p99;
    return {
      name: "latency",
      tables: [
        {
          title: `latency: open loop ${RATE_HZ} req/s, non-streaming, ${WARMUP_MS / 1000} s warm-up + ${MEASURE_MS / 1000} s measured`,
          headers: LATENCY_HEADERS,
          rows: [row("direct (mock)", direct), row("gateway", via)],
        },
        {
          title: "latency: added by the gateway (gateway - direct)",
          headers: ["figure", "value", "target"],
          rows: [
            ["added p50", fmtSigned(addedP50), "<= 1 ms"],
            ["added p99", fmtSigned(addedP99), "<= 5 ms"],
          ],
        },
      ],
      summary: [
        { figure: "latency: added p50 @500 req/s", value: fmtSigned(addedP50), target: "<= 1 ms" },
        { figure: "latency: added p99 @500 req/s", value: fmtSigned(addedP99), target: "<= 5 ms" },
      ],
      figures: {
        directP50Ms: direct.dist.p50,
        directP90Ms: direct.dist.p90,
        directP99Ms: direct.dist.p99,
        directMaxMs: direct.dist.max,
        directErrors: direct.run.errors,
        gatewayP50Ms: via.dist.p50,
        gatewayP90Ms: via.dist.p90,
        gatewayP99Ms: via.dist.p99,
        gatewayMaxMs: via.dist.max,
        gatewayErrors: via.run.errors,
        gatewayCpuMsPerRequest: via.gatewayCpuMs,
        addedP50Ms: addedP50,
        addedP99Ms: addedP99,
      },
      notes: [
        "Each request is timed from dispatch to the last body byte with performance.now().",
        "Sched lag is how late the 2 ms timer fired a request; it is not part of the latencies.",
        "gw CPU/req: user+system CPU of the gateway process per request (idle on the direct row).",
      ],
    };
  } finally {
    await gw.stop();
  }
}
