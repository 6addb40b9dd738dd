/**
 * logging (issue 4): what request logging costs the gateway, measured in one run.
 *
 * Two gateway processes on the same config and the same Redis prefix: one with
 * REQUEST_LOGS=on (its logs drained into a fresh Postgres database by a worker process), one
 * with REQUEST_LOGS=off. Both get the same open-loop load as the latency scenario (500 req/s,
 * non-streaming) in interleaved rounds, the order alternating (on/off, off/on, …) so drift in
 * machine load hits both alike. BENCH_LOGGING_ROUNDS (default 3) rounds per gateway, each
 * BENCH_LOGGING_WARMUP_MS (default 2,000) of warm-up then BENCH_LOGGING_ROUND_MS (default
 * 10,000) measured.
 */
import { uniquePrefix, waitFor } from "@429chain/testing";
import { createTestDb } from "../test/db-fixture";
import { CHAINS, gatewayTarget } from "./bench-config";
import { readBenchEnv } from "./bench-env";
import type { ScenarioResult } from "./bench-types";
import { fmtMs, fmtNum, fmtSigned } from "./format";
import { type GatewayChild, startGatewayChild } from "./gateway-child";
import { rolledUpRequests } from "./log-db";
import { readCpuMs } from "./proc-cpu";
import { LATENCY_HEADERS, type Measured, measure, RATE_HZ, row } from "./scenario-latency";
import { summarize } from "./stats";
import { startWorkerChild } from "./worker-child";

const STORED_TIMEOUT_MS = 60_000;

/** All rounds of one gateway as a single sample: latencies pooled, CPU weighted by requests. */
function pool(rounds: Measured[]): Measured {
  const latencies = rounds.flatMap((m) => m.run.latencies);
  const sent = rounds.reduce((n, m) => n + m.run.sent, 0);
  const cpu = rounds.every((m) => m.gatewayCpuMs !== null)
    ? rounds.reduce((n, m) => n + (m.gatewayCpuMs ?? 0) * m.run.sent, 0) / sent
    : null;
  return {
    run: {
      latencies,
      sent,
      errors: rounds.reduce((n, m) => n + m.run.errors, 0),
      achievedHz: rounds.reduce((n, m) => n + m.run.achievedHz, 0) / rounds.length,
      maxLagMs: Math.max(...rounds.map((m) => m.run.maxLagMs)),
    },
    dist: summarize(latencies),
    gatewayCpuMs: cpu,
    warmupSent: rounds.reduce((n, m) => n + m.warmupSent, 0),
  };
}

function median(values: number[]): number {
  return summarize(values).p50;
}

export async function runLogging(upstreamUrl: string): Promise<ScenarioResult> {
  const env = readBenchEnv();
  const durations = {
    warmupMs: env.BENCH_LOGGING_WARMUP_MS,
    measureMs: env.BENCH_LOGGING_ROUND_MS,
  };
  const db = await createTestDb("bench_logging");
  const prefix = uniquePrefix("bench-logging");
  const gateways: GatewayChild[] = [];
  let worker: Awaited<ReturnType<typeof startWorkerChild>> | undefined;
  try {
    worker = await startWorkerChild(db.url, prefix);
    const workerCpuBefore = readCpuMs(worker.pid);
    const start = (logs: "on" | "off") =>
      startGatewayChild(`logging-${logs}`, upstreamUrl, "file", {
        env: { REQUEST_LOGS: logs },
        redisPrefix: prefix,
      });
    const on = await start("on");
    gateways.push(on);
    const off = await start("off");
    gateways.push(off);
    const rounds = { on: [] as Measured[], off: [] as Measured[] };
    const roundRows: string[][] = [];
    for (let i = 0; i < env.BENCH_LOGGING_ROUNDS; i++) {
      const pair = i % 2 === 0 ? (["on", "off"] as const) : (["off", "on"] as const);
      for (const which of pair) {
        const gw = which === "on" ? on : off;
        const m = await measure(gatewayTarget(gw.url, CHAINS.fast), gw.pid, durations);
        rounds[which].push(m);
        roundRows.push(row(`round ${i + 1}, logs ${which}`, m));
      }
    }
    const expected = rounds.on.reduce((n, m) => n + m.warmupSent + m.run.sent, 0);
    const stored = async () => rolledUpRequests(db.handle.db);
    await waitFor(async () => (await stored()) >= expected, {
      timeoutMs: STORED_TIMEOUT_MS,
      intervalMs: 100,
    }).catch(() => {});
    const storedRequests = await stored();
    const workerCpuAfter = readCpuMs(worker.pid);
    const workerCpuPerRequest =
      workerCpuBefore === null || workerCpuAfter === null
        ? null
        : (workerCpuAfter - workerCpuBefore) / Math.max(storedRequests, 1);

    const onAll = pool(rounds.on);
    const offAll = pool(rounds.off);
    const p50Diff = onAll.dist.p50 - offAll.dist.p50;
    const p99Diff = onAll.dist.p99 - offAll.dist.p99;
    const roundDiffs = rounds.on.map(
      (m, i) => m.dist.p50 - (rounds.off[i]?.dist.p50 ?? Number.NaN),
    );
    const cpuDiff =
      onAll.gatewayCpuMs === null || offAll.gatewayCpuMs === null
        ? null
        : onAll.gatewayCpuMs - offAll.gatewayCpuMs;
    return {
      name: "logging",
      tables: [
        {
          title: `logging: open loop ${RATE_HZ} req/s, non-streaming, REQUEST_LOGS=on vs off, ${env.BENCH_LOGGING_ROUNDS} interleaved rounds each (${durations.warmupMs / 1000} s warm-up + ${durations.measureMs / 1000} s measured)`,
          headers: LATENCY_HEADERS,
          rows: [
            ...roundRows,
            row("logs on, all rounds", onAll),
            row("logs off, all rounds", offAll),
          ],
        },
        {
          title: "logging: cost of request logging (on - off)",
          headers: ["figure", "value", "target"],
          rows: [
            ["p50, all rounds pooled", fmtSigned(p50Diff), "<= 0.2 ms"],
            ["p50, median of per-round differences", fmtSigned(median(roundDiffs)), "-"],
            ["p99, all rounds pooled", fmtSigned(p99Diff), "-"],
            ["gateway CPU per request", fmtSigned(cpuDiff), "-"],
            [
              "requests stored by the worker / sent to the logging gateway",
              `${fmtNum(storedRequests)} / ${fmtNum(expected)}`,
              "equal",
            ],
            ["worker CPU per stored request (separate process)", fmtMs(workerCpuPerRequest), "-"],
          ],
        },
      ],
      summary: [
        {
          figure: `logging: p50 on vs off @${RATE_HZ} req/s (difference)`,
          value: `${fmtMs(onAll.dist.p50)} vs ${fmtMs(offAll.dist.p50)} (${fmtSigned(p50Diff)})`,
          target: "diff <= 0.2 ms",
        },
        {
          figure: "logging: p99 on vs off",
          value: `${fmtMs(onAll.dist.p99)} vs ${fmtMs(offAll.dist.p99)}`,
          target: "-",
        },
        {
          figure: "logging: gateway CPU/req on vs off",
          value: `${fmtMs(onAll.gatewayCpuMs)} vs ${fmtMs(offAll.gatewayCpuMs)}`,
          target: "-",
        },
      ],
      figures: {
        onP50Ms: onAll.dist.p50,
        offP50Ms: offAll.dist.p50,
        onP99Ms: onAll.dist.p99,
        offP99Ms: offAll.dist.p99,
        p50DiffMs: p50Diff,
        p50DiffMedianOfRoundsMs: median(roundDiffs),
        p99DiffMs: p99Diff,
        onGatewayCpuMsPerRequest: onAll.gatewayCpuMs,
        offGatewayCpuMsPerRequest: offAll.gatewayCpuMs,
        onErrors: onAll.run.errors,
        offErrors: offAll.run.errors,
        storedRequests,
        expectedStoredRequests: expected,
        workerCpuMsPerRequest: workerCpuPerRequest,
      },
      notes: [
        `Sizes: BENCH_LOGGING_ROUNDS=${env.BENCH_LOGGING_ROUNDS}, BENCH_LOGGING_WARMUP_MS=${durations.warmupMs}, BENCH_LOGGING_ROUND_MS=${durations.measureMs}.`,
        "Both gateways share one Redis prefix and config; the worker (apps/worker/src/main.ts, default settings) drains the logging one's queue into a fresh Postgres database throughout, on the same 2 cores.",
        "Round order alternates (on, off, off, on, …) so a change in machine load during the run affects both sides alike.",
        "stored / sent counts warm-up requests too: every request the logging gateway answered must end up in request_logs.",
      ],
    };
  } finally {
    // Worker first: a gateway's stop deletes the shared prefix's keys, the queue's included.
    await worker?.stop();
    for (const gw of gateways) await gw.stop();
    await db.close();
  }
}
