import { processRequestLogBatch } from "@429chain/db";
import { sql } from "drizzle-orm";
import { createTestDb, type TestDb } from "../test/db-fixture";
import { readBenchEnv } from "./bench-env";
import { seededRandom, syntheticLog } from "./synthetic-logs";

const DAY = 86_400_000;
export const VOLUME_DAYS = 30;

/** A database holding a month of logged requests, loaded through the worker's own code. */
export interface LogVolume {
  db: TestDb;
  requests: number;
  /** The 30 whole UTC days the requests fall in: [from, to). */
  from: Date;
  to: Date;
  loadMs: number;
  vacuumMs: number;
  batch: number;
  concurrency: number;
}

function progress(done: number, total: number, startedAt: number): void {
  const s = (performance.now() - startedAt) / 1000;
  process.stderr.write(`  loaded ${done} / ${total} requests in ${s.toFixed(0)} s\n`);
}

async function load(): Promise<LogVolume> {
  const env = readBenchEnv();
  const requests = env.BENCH_STATS_REQUESTS;
  const batch = env.BENCH_STATS_BATCH;
  const to = Math.floor(Date.now() / DAY) * DAY;
  const from = to - VOLUME_DAYS * DAY;
  const slot = (to - from) / requests;
  const db = await createTestDb("bench_stats");
  try {
    let next = 0;
    let done = 0;
    let reported = 0;
    const t0 = performance.now();
    // Each loader takes the next time-ordered batch, as the worker gets logs in arrival order.
    const loader = async (seed: number) => {
      const rand = seededRandom(seed);
      while (next < requests) {
        const start = next;
        next = Math.min(requests, next + batch);
        const jobs = Array.from({ length: next - start }, (_, i) =>
          syntheticLog(rand, Math.floor(from + (start + i + rand()) * slot)),
        );
        await processRequestLogBatch(db.handle.db, jobs);
        done += jobs.length;
        if (done - reported >= requests / 10) {
          reported = done;
          progress(done, requests, t0);
        }
      }
    };
    await Promise.all(Array.from({ length: env.BENCH_STATS_CONCURRENCY }, (_, i) => loader(i + 1)));
    const loadMs = performance.now() - t0;
    // Autovacuum would have visited tables this size long before anyone looks at a dashboard.
    const t1 = performance.now();
    await db.handle.db.execute(
      sql`VACUUM ANALYZE request_logs, request_attempts, usage_rollups, usage_totals, entry_rollups`,
    );
    const vacuumMs = performance.now() - t1;
    return {
      db,
      requests,
      from: new Date(from),
      to: new Date(to),
      loadMs,
      vacuumMs,
      batch,
      concurrency: env.BENCH_STATS_CONCURRENCY,
    };
  } catch (err) {
    await db.close();
    throw err;
  }
}

let loaded: Promise<LogVolume> | undefined;

/** Loads once per bench run; the stats and storage scenarios share the result. */
export function logVolume(): Promise<LogVolume> {
  loaded ??= load();
  return loaded;
}

/** Drops the shared database, if a scenario loaded it. */
export async function dropLogVolume(): Promise<void> {
  if (!loaded) return;
  const volume = await loaded.catch(() => null);
  loaded = undefined;
  await volume?.db.close();
}
