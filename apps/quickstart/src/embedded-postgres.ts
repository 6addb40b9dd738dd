import { existsSync } from "node:fs";
import { join } from "node:path";
import { createDb, type Db, migrate } from "@429chain/db";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { abortable } from "./abortable";
import { displayPath } from "./data-dir";
import { listenError } from "./ports";
import { embeddedInitdbSpec } from "./process-specs";
import { describeExit, type Supervisor } from "./supervisor";

/** Gateway pool, its log sink, the admin's pool and a CLI or psql now and then. */
const MAX_CONNECTIONS = 64;

/**
 * PGlite keeps Postgres's shared buffers in its WebAssembly memory, resident once touched:
 * 128 MB by default, about 120 MB of the launcher's RSS. A laptop's config and request logs
 * need far less, and reads beyond it still hit the OS page cache.
 */
export const EMBEDDED_SETTINGS = { shared_buffers: "16MB" };

export function embeddedDatabaseUrl(port: number): string {
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

export interface EmbeddedPostgresOptions {
  /** PGlite's data directory (DATA_DIR/postgres). */
  dataDir: string;
  /** The loopback port to serve on, chosen beforehand so other processes can be given it. */
  port: number;
  supervisor: Supervisor;
  /** The environment of the initdb process. */
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  say(line: string): void;
  /** Runs on the migrated database before anything else can connect to it. */
  setUp(db: Db): Promise<void>;
}

/**
 * Creates the PGlite database on first run, migrates it (the one place migrations run on
 * start), sets it up, then serves it on the loopback port over the Postgres wire protocol.
 * Queries from every connection are run one at a time, a transaction's statements together.
 * Database and server are closed by the supervisor.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<void> {
  const { dataDir, supervisor } = opts;
  const fresh = !existsSync(join(dataDir, "PG_VERSION"));
  opts.say(`${fresh ? "creating" : "opening"} the embedded database in ${displayPath(dataDir)}`);
  // initdb grows PGlite's WebAssembly memory by ~350 MB that this process would keep: run it
  // in a process of its own, which gives the memory back when it exits.
  if (fresh) {
    const init = supervisor.run(embeddedInitdbSpec(dataDir, opts.env));
    const exit = await abortable(init.exited, opts.signal);
    if (exit.code !== 0) {
      throw new Error(`creating the embedded database failed (${describeExit(exit)})`);
    }
  }
  const handle = await createDb({ dataDir, settings: EMBEDDED_SETTINGS });
  if (handle.driver !== "pglite") throw new Error("expected an embedded PGlite database");
  supervisor.onClose("embedded database", () => handle.close());
  await migrate(handle);
  await opts.setUp(handle.db);
  const server = new PGLiteSocketServer({
    db: handle.client,
    host: "127.0.0.1",
    port: opts.port,
    maxConnections: MAX_CONNECTIONS,
  });
  try {
    await server.start();
  } catch (err) {
    throw new Error(`embedded database: ${listenError(err, opts.port, "EMBEDDED_DB_PORT")}`);
  }
  supervisor.onClose("embedded database server", () => server.stop());
}
