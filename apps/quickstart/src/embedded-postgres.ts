import { type DbHandle, migrate } from "@429chain/db";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { listenError } from "./ports";

/** Gateway pool, its log sink, the admin's pool and a CLI or psql now and then. */
const MAX_CONNECTIONS = 64;

export interface EmbeddedPostgres {
  /** DATABASE_URL for the other processes. */
  url: string;
  port: number;
  /** Stops serving and drops every connection; PGlite itself stays open. */
  close(): Promise<void>;
}

/**
 * Migrates the PGlite database (the one place migrations run on start), then serves it on a
 * loopback port over the Postgres wire protocol. Queries from every connection are run one at
 * a time, a transaction's statements together.
 */
export async function serveEmbeddedPostgres(
  handle: Extract<DbHandle, { driver: "pglite" }>,
  port: number | undefined,
): Promise<EmbeddedPostgres> {
  await migrate(handle);
  const server = new PGLiteSocketServer({
    db: handle.client,
    host: "127.0.0.1",
    port: port ?? 0,
    maxConnections: MAX_CONNECTIONS,
  });
  try {
    await server.start();
  } catch (err) {
    throw new Error(`embedded database: ${listenError(err, port, "EMBEDDED_DB_PORT")}`);
  }
  const bound = Number(server.getServerConn().split(":").at(-1));
  return {
    url: `postgres://postgres@127.0.0.1:${bound}/postgres`,
    port: bound,
    close: () => server.stop(),
  };
}
