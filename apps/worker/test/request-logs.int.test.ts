import type { RequestLogBatch, RequestLogJob } from "@429chain/contracts";
import { createDb, type DbHandle, migrate, processRequestLogBatch } from "@429chain/db";
import { createTestDatabase, type TestDatabase } from "@429chain/db/testing";
import {
  bullPrefix,
  createBatchedProducer,
  REQUEST_LOG_BATCH_JOB_NAME,
  REQUEST_LOGS_QUEUE,
  type RequestLogQueue,
} from "@429chain/queue";
import { createRedisClient, type RedisClient } from "@429chain/redis";
import {
  createTestRedis,
  makeLogJob,
  TEST_REDIS_URL,
  type TestRedis,
  waitFor,
} from "@429chain/testing";
import { Queue } from "bullmq";
import { sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type RunningWorker, startWorker } from "../src/start-worker";

let t: TestRedis;
let database: TestDatabase;
let handle: DbHandle;
let redis: RedisClient;
let queue: RequestLogQueue;
let keyPrefix: string;
let n = 0;
const workers: RunningWorker[] = [];

const ATTEMPT = {
  provider: "groq",
  model: "llama-3.1-8b-instant",
  outcome: "ok" as const,
  status: 200,
  latencyMs: 110,
  cooldownUntil: null,
};

function makeJob(requestId: string): RequestLogJob {
  return makeLogJob(requestId, { at: Date.now(), attempts: [ATTEMPT] });
}

/** Enqueues the logs as the gateway does: one queue job per `maxBatch` logs. */
async function enqueue(ids: string[], maxBatch = 10): Promise<void> {
  const producer = createBatchedProducer({ queue, maxBatch, flushMs: 60_000 });
  for (const id of ids) producer.enqueue(makeJob(id));
  await producer.close();
}

async function run(
  options: {
    port?: number | null;
    batchSize?: number;
    flushMs?: number;
    retentionEveryMs?: number;
  } = {},
) {
  const w = await startWorker({
    db: handle.db,
    redis,
    keyPrefix,
    port: options.port ?? null,
    batchSize: options.batchSize ?? 50,
    flushMs: options.flushMs ?? 10,
    retention: {
      logRetentionDays: 30,
      minuteRollupDays: 7,
      everyMs: options.retentionEveryMs ?? 3_600_000,
    },
  });
  workers.push(w);
  return w;
}

async function count(query: string): Promise<number> {
  // node-postgres results carry `rows`; the shared Db type does not say so.
  const result = (await handle.db.execute(sql.raw(query))) as unknown as {
    rows: { n: string | number }[];
  };
  return Number(result.rows[0]?.n);
}
const rowCount = () => count("SELECT count(*) AS n FROM request_logs");
const distinctIds = () => count("SELECT count(DISTINCT request_id) AS n FROM request_logs");
const rollupRequests = () =>
  count("SELECT coalesce(sum(requests), 0) AS n FROM usage_rollups WHERE bucket_size = 'minute'");

beforeAll(async () => {
  t = await createTestRedis("worker");
  database = await createTestDatabase("worker");
  handle = await createDb({ url: database.url });
  await migrate(handle);
  redis = createRedisClient(TEST_REDIS_URL, { role: "worker" });
});
beforeEach(() => {
  // A fresh queue per test under this file's prefix.
  n += 1;
  keyPrefix = `${t.prefix}${n}:`;
  queue = new Queue<RequestLogBatch>(REQUEST_LOGS_QUEUE, {
    connection: redis,
    prefix: bullPrefix(keyPrefix),
  });
});
afterEach(async () => {
  await Promise.all(workers.splice(0).map((w) => w.close()));
  await queue.close();
  await handle.db.execute(
    sql.raw(
      "TRUNCATE request_logs, request_attempts, usage_rollups, usage_totals, entry_rollups, request_log_dead_letters",
    ),
  );
});
afterAll(async () => {
  await redis.quit();
  await handle.close();
  await database.drop();
  await t.cleanup();
});

describe("request-logs worker (real Redis, real Postgres)", () => {
  it("stores every enqueued job once, with attempts and rollups", async () => {
    const ids = Array.from({ length: 120 }, (_, i) => `basic-${i}`);
    await enqueue(ids);
    // A partial transaction waits 200 ms, so jobs merge however slowly they arrive.
    const w = await run({ flushMs: 200 });
    await waitFor(async () => (await rowCount()) === 120, { description: "120 rows" });
    expect(await count("SELECT count(*) AS n FROM request_attempts")).toBe(120);
    expect(await rollupRequests()).toBe(120);
    await waitFor(async () => (await queue.getJobCounts("completed")).completed === 12);
    // Jobs of 10 logs are merged into transactions of up to 50: fewer transactions than jobs.
    const batches = await w.metrics.batches.get();
    const ok = batches.values.find((v) => v.labels.result === "ok")?.value ?? 0;
    expect(ok).toBeGreaterThan(0);
    expect(ok).toBeLessThan(12);
  });

  it("the same request delivered twice is stored once and counted once", async () => {
    await enqueue(["dup-1", "dup-1"]);
    await run();
    await waitFor(async () => (await queue.getJobCounts("completed")).completed === 1);
    // A second job for the same request under another job id gets past BullMQ's dedup.
    await queue.add(
      REQUEST_LOG_BATCH_JOB_NAME,
      { v: 1, logs: [makeJob("dup-1")] },
      { jobId: "other-dup-1" },
    );
    await waitFor(async () => (await queue.getJobCounts("completed")).completed === 2);
    expect(await rowCount()).toBe(1);
    expect(await rollupRequests()).toBe(1);
  });

  it("schema-invalid logs go to the failed set with their reason; valid ones still process", async () => {
    const bad = { v: 2, requestId: "" } as unknown as RequestLogJob;
    const options = { attempts: 10 };
    await queue.add(
      REQUEST_LOG_BATCH_JOB_NAME,
      // logs[2]: valid JSON Postgres would refuse (integer overflow): invalid on its own.
      { v: 1, logs: [bad, makeJob("ok-0"), { ...makeJob("too-slow"), latencyMs: 2 ** 31 }] },
      { ...options, jobId: "mixed" },
    );
    await queue.add(REQUEST_LOG_BATCH_JOB_NAME, { logs: "nope" } as unknown as RequestLogBatch, {
      ...options,
      jobId: "poison",
    });
    await enqueue(["ok-1", "ok-2", "ok-3"]);
    await run();
    await waitFor(async () => (await rowCount()) === 4, { description: "4 rows" });
    await waitFor(async () => (await queue.getJobCounts("failed")).failed === 2);
    const mixed = await queue.getJob("mixed");
    expect(mixed?.failedReason).toMatch(/invalid RequestLogJob: logs\[0\]: v: .*requestId/);
    expect(mixed?.failedReason).toMatch(/logs\[2\]: latencyMs: /);
    expect((await queue.getJob("poison"))?.failedReason).toMatch(/batch: v: .*logs/);
    // Unrecoverable: failed on its first attempt, not retried.
    expect(mixed?.attemptsMade).toBe(1);
  });

  it("a log the database refuses is parked and counted; the rest of its batch is stored and the job completes", async () => {
    // A refusal the contract lets through (the contract stops NULs and over-long names).
    await handle.db.execute(
      sql.raw("ALTER TABLE request_logs ADD CONSTRAINT t_no_poison CHECK (chain <> 'poison')"),
    );
    try {
      // One queue job of ten logs, the refused one in the middle.
      const producer = createBatchedProducer({ queue, maxBatch: 10, flushMs: 60_000 });
      for (let i = 0; i < 10; i++) {
        producer.enqueue(i === 4 ? { ...makeJob("poisoned"), chain: "poison" } : makeJob(`f-${i}`));
      }
      await producer.close();
      const w = await startWorker({
        db: handle.db,
        redis,
        keyPrefix,
        port: null,
        flushMs: 10,
        source: "worker:t1",
      });
      workers.push(w);
      await waitFor(async () => (await queue.getJobCounts("completed")).completed === 1, {
        description: "the job completed",
      });
      expect(await rowCount()).toBe(9);
      expect(await rollupRequests()).toBe(9);
      expect((await queue.getJobCounts("failed")).failed).toBe(0);
      const parked = (await handle.db.execute(
        sql.raw("SELECT request_id, sql_state, source, log FROM request_log_dead_letters"),
      )) as unknown as {
        rows: { request_id: string; sql_state: string; source: string; log: string }[];
      };
      expect(parked.rows.map((r) => [r.request_id, r.sql_state, r.source])).toEqual([
        ["poisoned", "23514", "worker:t1"],
      ]);
      expect(JSON.parse(parked.rows[0]?.log ?? "null")).toMatchObject({ chain: "poison" });
      const dead = (await w.metrics.deadLettered.get()).values[0]?.value;
      expect(dead).toBe(1);
    } finally {
      await handle.db.execute(sql.raw("ALTER TABLE request_logs DROP CONSTRAINT t_no_poison"));
    }
  });

  it("closing a worker mid-way and starting another stores every job exactly once", async () => {
    const ids = Array.from({ length: 600 }, (_, i) => `restart-${i}`);
    await enqueue(ids);
    const first = await run({ batchSize: 20 });
    await waitFor(async () => (await rowCount()) > 0, { description: "first rows" });
    await first.close();
    const afterFirst = await rowCount();
    // close() let the batch in hand finish: nothing is left active (i.e. stalled) in Redis.
    expect((await queue.getJobCounts("active")).active).toBe(0);
    expect(afterFirst).toBeLessThan(600);
    await run({ batchSize: 20 });
    await waitFor(async () => (await rowCount()) === 600, {
      timeoutMs: 15_000,
      description: "600 rows",
    });
    expect(await distinctIds()).toBe(600);
    expect(await rollupRequests()).toBe(600);
    await waitFor(async () => (await queue.getJobCounts("completed")).completed === 60);
    expect((await queue.getJobCounts("failed")).failed).toBe(0);
  });

  it("Postgres unreachable: the queue pauses, jobs wait without using attempts, nothing is lost", async () => {
    const url = new URL(database.url);
    url.pathname = "/t429_does_not_exist";
    const down = await createDb({ url: url.toString() });
    try {
      await enqueue(["pg-1", "pg-2", "pg-3"]);
      const broken = await startWorker({ db: down.db, redis, keyPrefix, port: null, flushMs: 10 });
      workers.push(broken);
      const unavailable = async () =>
        (await broken.metrics.failures.get()).values.find(
          (v) => v.labels.reason === "db_unavailable",
        )?.value ?? 0;
      // Tried, paused, tried again: three logs failed at least twice.
      await waitFor(async () => (await unavailable()) >= 6, { description: "two tries" });
      await broken.close();
      const [job] = await queue.getJobs(["waiting", "delayed", "active", "failed"]);
      expect(job?.attemptsMade).toBe(0);
      expect(await job?.getState()).toBe("waiting");
      expect(await rowCount()).toBe(0);
      await run();
      await waitFor(async () => (await rowCount()) === 3, { description: "3 rows after retry" });
      expect((await queue.getJobCounts("failed")).failed).toBe(0);
    } finally {
      await down.close();
    }
  });

  it("serves /health and /metrics with queue depth and processed counts", async () => {
    await enqueue(["m-1", "m-2"]);
    const w = await run({ port: 0 });
    await waitFor(async () => (await rowCount()) === 2);
    const health = await fetch(`http://127.0.0.1:${w.port}/health`);
    expect(health.status).toBe(200);
    // Counters move just after the commit that made the rows visible.
    const metrics = () => fetch(`http://127.0.0.1:${w.port}/metrics`).then((r) => r.text());
    await waitFor(async () =>
      /worker_jobs_processed_total\{result="inserted"\} 2/.test(await metrics()),
    );
    const text = await metrics();
    expect(text).toMatch(/worker_jobs_processed_total\{result="inserted"\} 2/);
    expect(text).toMatch(/worker_queue_jobs\{state="waiting"\} 0/);
    expect(text).toContain("worker_lag_seconds");
  });

  it("runs retention on its schedule: old raw logs and minute rollups go, hour and day stay", async () => {
    const DAY = 86_400_000;
    const at = (daysAgo: number) => Date.now() - daysAgo * DAY;
    await processRequestLogBatch(handle.db, [
      makeLogJob("old", { at: at(40), attempts: [ATTEMPT] }),
      makeLogJob("week-old", { at: at(10), attempts: [ATTEMPT] }),
      makeLogJob("new", { at: at(0), attempts: [ATTEMPT] }),
    ]);
    const rollups = (size: string) =>
      count(
        `SELECT coalesce(sum(requests), 0) AS n FROM usage_rollups WHERE bucket_size = '${size}'`,
      );
    const w = await run({ port: 0, retentionEveryMs: 1_000 });
    await waitFor(async () => (await rowCount()) === 2, { description: "the 40-day-old log gone" });
    await waitFor(async () => (await rollups("minute")) === 1, { description: "minute rollups" });
    expect(await count("SELECT count(*) AS n FROM request_logs WHERE request_id = 'old'")).toBe(0);
    expect(await count("SELECT count(*) AS n FROM request_attempts")).toBe(2);
    expect(await rollups("hour")).toBe(3);
    expect(await rollups("day")).toBe(3);
    const metrics = () => fetch(`http://127.0.0.1:${w.port}/metrics`).then((r) => r.text());
    await waitFor(async () =>
      /worker_retention_deleted_total\{kind="request"\} 1/.test(await metrics()),
    );
    const text = await metrics();
    expect(text).toMatch(/worker_retention_deleted_total\{kind="request"\} 1/);
    expect(text).toMatch(/worker_retention_deleted_total\{kind="minute_rollup"\} [1-9]/);
  });
});
