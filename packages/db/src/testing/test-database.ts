import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import pg from "pg";
import { createDb, type Db, type DbExecutor, type DbHandle } from "../create-db";
import { migrate } from "../migrate";

/** A maintenance database on the local server; test databases are created next to it. */
const TEST_POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

export interface TestDatabase {
  url: string;
  /** Drops the database, ending any connection still open to it. */
  drop(): Promise<void>;
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database on the local Postgres server, e.g. one per test file. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `t429_${label.replace(/\W/g, "_").toLowerCase()}_${randomBytes(4).toString("hex")}`;
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin((c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

export const TEST_BACKENDS = ["postgres", "pglite"] as const;
type TestBackend = (typeof TEST_BACKENDS)[number];

export interface OpenTestDb {
  handle: DbHandle;
  db: Db;
  /** Empties every table, so tests in one file start alike without a new database. */
  reset(): Promise<void>;
  cleanup(): Promise<void>;
}

/** A migrated database: its own Postgres database, or an in-memory PGlite. */
export async function openTestDb(backend: TestBackend, label: string): Promise<OpenTestDb> {
  const database = backend === "postgres" ? await createTestDatabase(label) : null;
  const handle = await createDb(database ? { url: database.url } : { dataDir: "memory://" });
  await migrate(handle);
  return {
    handle,
    db: handle.db,
    reset: async () => {
      const tables = (await listTables(handle.db)).map((t) => `"${t}"`).join(", ");
      await handle.db.execute(sql.raw(`TRUNCATE ${tables} RESTART IDENTITY CASCADE`));
    },
    cleanup: async () => {
      await handle.close();
      await database?.drop();
    },
  };
}

function rowsOf<T>(result: unknown): T[] {
  // node-postgres and PGlite results differ in type but both carry `rows`.
  return (result as { rows: T[] }).rows;
}

export async function listTables(db: DbExecutor): Promise<string[]> {
  const result = await db.execute(
    sql`SELECT table_name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  return rowsOf<{ table_name: string }>(result).map((r) => r.table_name);
}

/** Every row of every table as JSON text, sorted: compares whole-database states. */
export async function dumpTables(db: DbExecutor): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of await listTables(db)) {
    const result = await db.execute(sql.raw(`SELECT to_jsonb(t)::text AS row FROM "${table}" t`));
    out[table] = rowsOf<{ row: string }>(result)
      .map((r) => r.row)
      .sort();
  }
  return out;
}
