import { PGlite } from "@electric-sql/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { Pool, type PoolConfig } from "pg";
import * as schema from "./schema";

export type DbSchema = typeof schema;
/** The query surface shared by the node-postgres and PGlite drivers. */
export type Db = PgDatabase<PgQueryResultHKT, DbSchema>;
/** A transaction or the database itself: queries that need no transaction of their own. */
export type DbExecutor = Parameters<Parameters<Db["transaction"]>[0]>[0] | Db;

type CreateDbOptions =
  /** A Postgres server, e.g. DATABASE_URL. */
  | { url: string; pool?: Omit<PoolConfig, "connectionString"> }
  /**
   * Embedded PGlite: a data directory, or "memory://" for a throwaway in-memory database.
   * `settings` are Postgres settings it starts with (`-c name=value`), e.g. shared_buffers.
   */
  | { dataDir: string; settings?: Record<string, string> };

export type DbHandle =
  | { driver: "pg"; db: Db; pool: Pool; close(): Promise<void> }
  | { driver: "pglite"; db: Db; client: PGlite; close(): Promise<void> };

/** Opens a database; never migrates it (see `migrate`). */
export async function createDb(options: CreateDbOptions): Promise<DbHandle> {
  if ("url" in options) {
    const pool = new Pool({ ...options.pool, connectionString: options.url });
    // A server restart or a dropped connection makes pg emit 'error' on idle pooled clients
    // (and on clients in use, besides failing their query); unheard, that kills the process.
    // The pool discards broken clients and the failed query reports the problem, so these
    // events need no handling of their own.
    pool.on("error", () => {});
    pool.on("connect", (client) => client.on("error", () => {}));
    const db = drizzlePg({ client: pool, schema });
    return { driver: "pg", db, pool, close: () => pool.end() };
  }
  const client = await PGlite.create(options.dataDir, pgliteOptions(options.settings));
  const db = drizzlePglite({ client, schema });
  return { driver: "pglite", db, client, close: () => client.close() };
}

function pgliteOptions(settings: Record<string, string> | undefined) {
  if (!settings) return undefined;
  // startParams replaces PGlite's own (single-user mode and its fixed settings): keep them.
  const startParams = [...PGlite.defaultStartParams];
  for (const [name, value] of Object.entries(settings)) startParams.push("-c", `${name}=${value}`);
  return { startParams };
}
