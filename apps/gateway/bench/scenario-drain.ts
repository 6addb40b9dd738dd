/**
 * drain (issue 4): how fast the real worker moves request logs from BullMQ into Postgres.
 *
 * Each run: a fresh database and Redis prefix; BENCH_DRAIN_REQUESTS (default 50,000) logged
 * requests with 2 attempts each are queued the way the gateway queues them (sendToQueue, one
 * job per 200 logs) into a paused queue; the worker starts as its own process
 * (apps/worker/src/main.ts, default settings) and reports healthy; the queue is resumed and the
 * clock runs until the rollups count every request. BENCH_DRAIN_RUNS (default 2) runs.
 */
import type { RequestLogBatch } from "@429chain/contracts";
import { bullPrefix, REQUEST_LOGS_QUEUE, sendToQueue } from "@429chain/queue";
import { deleteKeys, TEST_REDIS_URL, uniquePrefix, waitFor } from "@429chain/testing";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { createTestDb } from "../test/db-fixture";
import { readBenchEnv } from "./bench-env";
import type { ScenarioResult } from "./bench-types";
import { fmtMs, fmtNum } from "./format";
import { checkTotals, countLogs, rolledUpRequests } from "./log-db";
import { readCpuMs } from "./proc-cpu";
import { seededRandom, twoAttemptLog } from "./synthetic-logs";
import { startWorkerChild } from "./worker-child";

/** The gateway's producer batch size (createBatchedProducer's default maxBatch). */
const JOB_LOGS = 200;
const FILL_PARALLEL = 8;
const POLL_MS = 20;
const DRAIN_TIMEOUT_MS = 15 * 60_000;

interface DrainRun {
  fillMs: number;
  startupMs: number;
  drainMs: number;
  workerCpuMs: number | null;
  attempts: number;
  totals: string;
  rollupRows: Record<string, number>;
}

async function fillQueue(queue: Queue<RequestLogBatch>, requests: number, seed: number) {
  const rand = seededRandom(seed);
  const send = sendToQueue(queue);
  const now = Date.now();
  let next = 0;
  const sendAll = async () => {
    while (next < requests) {
      const from = next;
      next = Math.min(requests, next + JOB_LOGS);
      // Spread over the last hour, as a busy gateway's backlog would be.
      const logs = Array.from({ length: next - from }, (_, i) =>
        twoAttemptLog(rand, now - 3_600_000 + Math.floor(((from + i) / requests) * 3_600_000)),
      );
      await send(logs);
    }
  };
  await Promise.all(Array.from({ length: FILL_PARALLEL }, sendAll));
}

async function drainOnce(requests: number, run: number): Promise<DrainRun> {
  const db = await createTestDb(`bench_drain_${run}`);
  const prefix = uniquePrefix("bench-drain");
  const queue = new Queue<RequestLogBatch>(REQUEST_LOGS_QUEUE, {
    connection: { url: TEST_REDIS_URL, maxRetriesPerRequest: null },
    prefix: bullPrefix(prefix),
  });
  queue.on("error", () => {});
  let worker: Awaited<ReturnType<typeof startWorkerChild>> | undefined;
  try {
    await queue.pause();
    const t0 = performance.now();
    await fillQueue(queue, requests, run);
    const fillMs = performance.now() - t0;
    const t1 = performance.now();
    worker = await startWorkerChild(db.url, prefix);
    const startupMs = performance.now() - t1;
    const cpuBefore = readCpuMs(worker.pid);
    const t2 = performance.now();
    await queue.resume();
    await waitFor(async () => (await rolledUpRequests(db.handle.db)) >= requests, {
      timeoutMs: DRAIN_TIMEOUT_MS,
      intervalMs: POLL_MS,
      description: `${requests} requests stored`,
    });
    const drainMs = performance.now() - t2;
    const cpuAfter = readCpuMs(worker.pid);
    await worker.stop();
    const counts = await countLogs(db.handle.db);
    return {
      fillMs,
      startupMs,
      drainMs,
      workerCpuMs: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
      attempts: counts.attempts,
      totals: checkTotals(counts, requests),
      rollupRows: counts.rollupRows,
    };
  } finally {
    await worker?.stop();
    await queue.close();
    const redis = new Redis(TEST_REDIS_URL);
    await deleteKeys(redis, prefix).finally(() => redis.disconnect());
    await db.close();
  }
}

export async function runDrain(): Promise<ScenarioResult> {
  const env = readBenchEnv();
  const requests = env.BENCH_DRAIN_REQUESTS;
  const runs: DrainRun[] = [];
  for (let i = 1; i <= env.BENCH_DRAIN_RUNS; i++) runs.push(await drainOnce(requests, i));
  const perSecond = (n: number, ms: number) => (n / ms) * 1000;
  const rates = runs.map((r) => perSecond(requests, r.drainMs));
  const row = (r: DrainRun, i: number) => [
    `run ${i + 1}`,
    fmtNum(requests),
    fmtMs(r.fillMs, 0),
    fmtMs(r.startupMs, 0),
    fmtMs(r.drainMs, 0),
    fmtNum(perSecond(requests, r.drainMs)),
    fmtNum(perSecond(r.attempts, r.drainMs)),
    fmtMs(r.workerCpuMs === null ? null : r.workerCpuMs / requests),
    `${r.rollupRows.minute ?? 0}/${r.rollupRows.hour ?? 0}/${r.rollupRows.day ?? 0}`,
    r.totals,
  ];
  return {
    name: "drain",
    tables: [
      {
        title: `drain: ${fmtNum(requests)} queued requests × 2 attempts → worker process → local Postgres`,
        headers: [
          "run",
          "requests",
          "queue fill",
          "worker start",
          "drain",
          "requests/s",
          "attempt rows/s",
          "worker CPU/req",
          "rollup rows m/h/d",
          "totals = N",
        ],
        rows: runs.map(row),
      },
    ],
    summary: runs.map((r, i) => ({
      figure: `drain: worker requests/s (2 attempts each), run ${i + 1}`,
      value: `${fmtNum(rates[i])} (${r.totals})`,
      target: ">= 5,000",
    })),
    figures: {
      requests,
      ...Object.fromEntries(
        runs.flatMap((r, i) => [
          [`run${i + 1}DrainMs`, r.drainMs],
          [`run${i + 1}RequestsPerSecond`, rates[i] ?? null],
          [`run${i + 1}AttemptRowsPerSecond`, perSecond(r.attempts, r.drainMs)],
          [`run${i + 1}WorkerCpuMs`, r.workerCpuMs],
          [`run${i + 1}Totals`, r.totals],
        ]),
      ),
    },
    notes: [
      `Sizes: BENCH_DRAIN_REQUESTS=${requests}, BENCH_DRAIN_RUNS=${env.BENCH_DRAIN_RUNS}; each run has a fresh database and Redis prefix.`,
      "Jobs are queued as the gateway queues them (sendToQueue, 200 logs per job, 15 attempts) into a paused queue; the clock starts when the healthy worker process sees the queue resumed and stops when the day rollups count every request (polled every 20 ms).",
      "The worker is apps/worker/src/main.ts with default settings (concurrency 10, 1,000 logs per transaction); worker CPU/req is its process CPU during the drain; Postgres' CPU is not in it.",
      "totals = N: request_logs rows and the minute, hour and day rollup totals each equal the number queued.",
    ],
  };
}
