import { createDb, type DbHandle, migrate } from "@429chain/db";
import { createTestDatabase } from "@429chain/db/testing";
import type { Cluster, Redis } from "ioredis";
import { type AppProcess, startAppProcess } from "./app-process";
import { startFakeUpstream } from "./fake-upstream/server";
import type { FakeUpstream } from "./fake-upstream/types";
import { createTestRedis, TEST_REDIS_URL, type TestRedis } from "./redis";
import { startTempPostgres, type TempPostgres } from "./temp-postgres";

type Cleanup = () => Promise<unknown> | unknown;
type Stoppable = { stop(): Promise<unknown> };

/** What is up before any process starts: handed to the options' callbacks. */
export interface StackParts {
  upstream: FakeUpstream;
  redis: TestRedis<Redis | Cluster>;
  /** REDIS_URL and REDIS_KEY_PREFIX for the stack's processes. */
  redisEnv: { REDIS_URL: string; REDIS_KEY_PREFIX: string };
  databaseUrl: string;
  /** The Postgres server when options.postgres is "server", for the test to stop and start. */
  postgres: TempPostgres | null;
  /** The test's own connection to the stack's database. */
  db: DbHandle;
  /** Registers a cleanup; cleanups run in reverse order of registration. */
  defer(cleanup: Cleanup): void;
}

export interface TestStackOptions<W extends Stoppable = Stoppable> {
  /** Names the database and the Redis prefix. */
  label: string;
  /** The gateway's entry file; each app's tests name it (this package knows no app paths). */
  gatewayEntry: string;
  /**
   * One env per gateway process, over REDIS_URL, REDIS_KEY_PREFIX and LOG_LEVEL=warn.
   * Default: one gateway with nothing more. DB mode needs DATABASE_URL and MASTER_KEY here.
   */
  gateways?: (parts: StackParts) => Record<string, string>[];
  /** "server": a Postgres server of its own, which the test may stop; default a database. */
  postgres?: "database" | "server";
  /** Default true; false when prepare sets the database up itself (e.g. with the CLI). */
  migrate?: boolean;
  /** Default one local Redis. */
  redis?: { url: string; open(label: string): Promise<TestRedis<Redis | Cluster>> };
  /** Runs before any process starts: seed the database, write a config file. */
  prepare?: (parts: StackParts) => Promise<void>;
  /** Starts the worker (in the test's process or as a child) after prepare. */
  worker?: (parts: StackParts) => Promise<W>;
}

export interface TestStack<W extends Stoppable = Stoppable> extends StackParts {
  worker: W | null;
  /** In the order of options.gateways. */
  gateways: AppProcess[];
  /** Runs every cleanup, the last registered first; the gateways stop before the worker. */
  stop(): Promise<void>;
}

async function openDatabase(
  kind: "database" | "server",
  label: string,
  defer: (cleanup: Cleanup) => void,
): Promise<{ url: string; postgres: TempPostgres | null }> {
  if (kind === "server") {
    const postgres = await startTempPostgres();
    defer(() => postgres.destroy());
    return { url: postgres.url, postgres };
  }
  const database = await createTestDatabase(label);
  defer(() => database.drop());
  return { url: database.url, postgres: null };
}

/**
 * The stack the outage, log, system and browser tests run on: the fake upstream, Redis under a
 * unique prefix, a fresh Postgres database, optionally the worker, and N gateway processes.
 */
export async function startTestStack<W extends Stoppable = Stoppable>(
  options: TestStackOptions<W>,
): Promise<TestStack<W>> {
  const cleanups: Cleanup[] = [];
  const defer = (cleanup: Cleanup) => {
    cleanups.push(cleanup);
  };
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await Promise.resolve()
        .then(cleanup)
        .catch(() => undefined);
    }
  };
  try {
    const upstream = await startFakeUpstream();
    defer(() => upstream.close());
    const redisTarget = options.redis ?? { url: TEST_REDIS_URL, open: createTestRedis };
    const redis = await redisTarget.open(options.label);
    defer(() => redis.cleanup());
    const opened = await openDatabase(options.postgres ?? "database", options.label, defer);
    const databaseUrl = opened.url;
    const db = await createDb({ url: databaseUrl });
    // Tests terminate backends on purpose; an idle client dying must not be an unhandled error.
    if (db.driver === "pg") db.pool.on("error", () => {});
    defer(() => db.close());
    if (options.migrate ?? true) await migrate(db);
    const redisEnv = { REDIS_URL: redisTarget.url, REDIS_KEY_PREFIX: redis.prefix };
    const parts: StackParts = {
      upstream,
      redis,
      redisEnv,
      databaseUrl,
      postgres: opened.postgres,
      db,
      defer,
    };

    await options.prepare?.(parts);
    const worker = options.worker ? await options.worker(parts) : null;
    if (worker) defer(() => worker.stop());
    // In parallel, and every one that started is stopped even when another failed.
    const booted = await Promise.allSettled(
      (options.gateways?.(parts) ?? [{}]).map((env) =>
        startAppProcess({
          entry: options.gatewayEntry,
          env: { ...redisEnv, LOG_LEVEL: "warn", ...env },
        }),
      ),
    );
    const gateways = booted.flatMap((g) => (g.status === "fulfilled" ? [g.value] : []));
    defer(() => Promise.all(gateways.map((g) => g.stop())));
    const failed = booted.find((g) => g.status === "rejected");
    if (failed) throw failed.reason;
    return { ...parts, worker, gateways, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
