import type { RequestLogBatch } from "@429chain/contracts";
import { createDb, type DbHandle, migrate } from "@429chain/db";
import { createTestDatabase, type TestDatabase } from "@429chain/db/testing";
import { bullPrefix, createBatchedProducer, REQUEST_LOGS_QUEUE } from "@429chain/queue";
import { createRedisClient, type RedisClient } from "@429chain/redis";
import {
  type AppProcess,
  createTestRedis,
  makeLogJob,
  TEST_REDIS_URL,
  type TestRedis,
  waitFor,
} from "@429chain/testing";
import { Queue } from "bullmq";
import { type SQL, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkerProcess } from "./worker-process";

/**
 * The real worker process, SIGKILLed twice with a transaction open. Each kill is made
 * deterministic by a lock: while the test holds SHARE on entry_rollups, the worker's batch
 * transaction (request rows, attempts and usage rollups already written) waits on its last
 * upsert, and pg_stat_activity shows it, so the kill always lands mid-transaction.
 */

const LOGS_PER_JOB = 50;
const JOBS_PER_WAVE = 10;
const ATTEMPT = {
  provider: "groq",
  model: "llama-3.1-8b-instant",
  outcome: "ok" as const,
  status: 200,
  latencyMs: 110,
  cooldownUntil: null,
};

let t: TestRedis;
let database: TestDatabase;
let handle: DbHandle;
let redis: RedisClient;
let queue: Queue<RequestLogBatch>;
const children: AppProcess[] = [];

beforeAll(async () => {
  t = await createTestRedis("wcrash");
  database = await createTestDatabase("worker_crash");
  handle = await createDb({ url: database.url });
  await migrate(handle);
  redis = createRedisClient(TEST_REDIS_URL, { role: "worker" });
  queue = new Queue(REQUEST_LOGS_QUEUE, { connection: redis, prefix: bullPrefix(t.prefix) });
});

afterAll(async () => {
  await Promise.all(children.map((c) => c.stop("SIGKILL")));
  await queue?.close();
  redis?.disconnect();
  await handle?.close();
  await database?.drop();
  await t?.cleanup();
});

/** One wave: JOBS_PER_WAVE queue jobs of LOGS_PER_JOB logs, as a gateway sends them. */
async function enqueueWave(wave: string): Promise<void> {
  const producer = createBatchedProducer({ queue, maxBatch: LOGS_PER_JOB, flushMs: 60_000 });
  for (let i = 0; i < LOGS_PER_JOB * JOBS_PER_WAVE; i++) {
    producer.enqueue(makeLogJob(`${wave}-${i}`, { at: Date.now(), attempts: [ATTEMPT] }));
  }
  await producer.close();
}

function startWorker(name: string): Promise<AppProcess> {
  const url = new URL(database.url);
  // Names the worker's connections, to find its open transaction in pg_stat_activity.
  url.searchParams.set("application_name", name);
  const child = startWorkerProcess({
    DATABASE_URL: url.toString(),
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: t.prefix,
    WORKER_CONCURRENCY: String(JOBS_PER_WAVE),
    BATCH_SIZE: String(LOGS_PER_JOB * JOBS_PER_WAVE),
    BATCH_FLUSH_MS: "1000",
    // A killed worker's jobs come back after seconds, not the default 30 s.
    WORKER_JOB_LOCK_MS: "1000",
    LOG_LEVEL: "warn",
  });
  return child.then((c) => {
    children.push(c);
    return c;
  });
}

async function count(query: SQL): Promise<number> {
  // node-postgres results carry `rows`; the shared Db type does not say so.
  const result = (await handle.db.execute(query)) as unknown as {
    rows: { n: string | number }[];
  };
  return Number(result.rows[0]?.n);
}

/** The worker's batch transactions that have written rows and now wait for a lock. */
const blockedMidTransaction = (name: string) =>
  count(sql`SELECT count(*) AS n FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = ${name}
      AND wait_event_type = 'Lock' AND backend_xid IS NOT NULL`);
const connections = (name: string) =>
  count(sql`SELECT count(*) AS n FROM pg_stat_activity
    WHERE datname = current_database() AND application_name = ${name}`);

/** Holds SHARE on entry_rollups, which the worker's transaction upserts last. */
async function holdRollupLock(): Promise<{ release(): Promise<void> }> {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked = () => {};
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const done = handle.db.transaction(async (tx) => {
    await tx.execute(sql.raw("LOCK TABLE entry_rollups IN SHARE MODE"));
    locked();
    await released;
  });
  await Promise.race([isLocked, done]);
  return {
    async release() {
      release();
      await done;
    },
  };
}

async function activeJobs(): Promise<{ id: string; stalled: number }[]> {
  const jobs = await queue.getJobs(["active"]);
  return jobs.map((j) => ({ id: j.id ?? "", stalled: j.stalledCounter }));
}

const rowCount = () => count(sql`SELECT count(*) AS n FROM request_logs`);
const rollupSum = (table: string, column: string, size: string) =>
  count(
    sql`SELECT coalesce(sum(${sql.raw(column)}), 0) AS n FROM ${sql.raw(table)}
      WHERE bucket_size = ${size}`,
  );

/**
 * Starts a worker while the lock is held, waits until its batch transaction has written rows
 * and waits on the lock, runs `meanwhile`, SIGKILLs the worker, releases the lock and waits
 * until Postgres has seen the dead client and rolled its transaction back.
 */
async function killMidTransaction(
  name: string,
  ready: () => Promise<boolean>,
  meanwhile: () => Promise<void> = async () => {},
): Promise<void> {
  const lock = await holdRollupLock();
  try {
    const worker = await startWorker(name);
    await waitFor(async () => (await ready()) && (await blockedMidTransaction(name)) >= 1, {
      timeoutMs: 30_000,
      description: `${name} mid-transaction`,
    });
    await meanwhile();
    await worker.stop("SIGKILL");
  } finally {
    await lock.release();
  }
  await waitFor(async () => (await connections(name)) === 0, {
    timeoutMs: 20_000,
    description: `${name}'s connections closed`,
  });
}

describe("worker SIGKILLed mid-transaction (real processes, Redis, Postgres)", () => {
  it("twice, while logs flow: every request is logged exactly once", async () => {
    await enqueueWave("w1");
    let inHand: string[] = [];
    // Kill 1: the first worker's batch has written its rows and waits on the lock.
    await killMidTransaction("crash-w1", async () => {
      inHand = (await activeJobs()).map((j) => j.id);
      return inHand.length === JOBS_PER_WAVE;
    });
    expect(await rowCount()).toBe(0);

    // Kill 2: the next worker takes the dead one's jobs back once their locks lapse and dies
    // with them mid-transaction too, while more logs arrive: those jobs have stalled twice.
    await killMidTransaction(
      "crash-w2",
      async () => {
        const active = await activeJobs();
        return (
          active.length === inHand.length &&
          active.every((j) => inHand.includes(j.id) && j.stalled >= 1)
        );
      },
      () => enqueueWave("w2"),
    );
    expect(await rowCount()).toBe(0);

    const survivor = await startWorker("crash-w3");
    await enqueueWave("w3");
    const total = 3 * JOBS_PER_WAVE * LOGS_PER_JOB;
    await waitFor(async () => (await rowCount()) === total, {
      timeoutMs: 60_000,
      description: `${total} request rows`,
    });
    await waitFor(
      async () => (await queue.getJobCounts("completed")).completed === 3 * JOBS_PER_WAVE,
      { timeoutMs: 20_000, description: "every job completed" },
    );
    expect((await queue.getJobCounts("failed")).failed).toBe(0);
    expect(await count(sql`SELECT count(DISTINCT request_id) AS n FROM request_logs`)).toBe(total);
    expect(await count(sql`SELECT count(*) AS n FROM request_attempts`)).toBe(total);
    for (const size of ["minute", "hour", "day"]) {
      expect(await rollupSum("usage_rollups", "requests", size)).toBe(total);
      expect(await rollupSum("usage_totals", "requests", size)).toBe(total);
      expect(await rollupSum("entry_rollups", "attempts", size)).toBe(total);
    }
    expect(await count(sql`SELECT count(*) AS n FROM request_log_dead_letters`)).toBe(0);
    expect(await survivor.stop()).toBe(0);
  }, 180_000);
});
