import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createDb, type Db, MIGRATIONS_FOLDER, migrate } from "@429chain/db";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { abortable } from "./abortable";
import { type DataDir, displayPath } from "./data-dir";
import type { HeldListener } from "./held-listener";
import { embeddedInitdbSpec } from "./process-specs";
import { describeExit, type Supervisor } from "./supervisor";

/** Gateway pool, its log sink, the admin's pool and a CLI or psql now and then. */
const MAX_CONNECTIONS = 64;

/**
 * PGlite keeps Postgres's shared buffers in its WebAssembly memory, resident once touched:
 * 128 MB by default, about 120 MB of the launcher's RSS. A laptop's config and request logs
 * need far less, and reads beyond it still hit the OS page cache.
 */
const EMBEDDED_SETTINGS = { shared_buffers: "16MB" };

export function embeddedDatabaseUrl(port: number): string {
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

/** The tag of the newest migration in drizzle's journal. */
function newestMigration(): string {
  const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8"));
  return String((journal as { entries: Array<{ tag: string }> }).entries.at(-1)?.tag);
}

/**
 * True when the database exists and a previous start migrated it to this version's newest
 * migration: opening it takes a second or so, with no migration to keep clients waiting.
 */
export function embeddedDatabaseIsCurrent(dataDir: DataDir): boolean {
  if (!existsSync(join(dataDir.postgres, "PG_VERSION"))) return false;
  try {
    return readFileSync(dataDir.schema, "utf8").trim() === newestMigration();
  } catch {
    return false;
  }
}

interface EmbeddedPostgresOptions {
  dataDir: DataDir;
  /** The port clients were given: its connections are held until the database serves. */
  listener: HeldListener;
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
 * start), sets it up, then serves it over the Postgres wire protocol to the connections the
 * listener holds and accepts (no client sees the database before it is migrated). Queries
 * from every connection are run one at a time, a transaction's statements together. Database
 * and server are closed by the supervisor.
 */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<void> {
  const { supervisor } = opts;
  const dataDir = opts.dataDir.postgres;
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
  writeFileSync(opts.dataDir.schema, `${newestMigration()}\n`);
  await opts.setUp(handle.db);
  // On a port of its own that only the listener relays to.
  const server = new PGLiteSocketServer({
    db: handle.client,
    host: "127.0.0.1",
    port: 0,
    maxConnections: MAX_CONNECTIONS,
  });
  await server.start();
  supervisor.onClose("embedded database server", () => server.stop());
  opts.listener.relayTo(Number(server.getServerConn().split(":").at(-1)));
}
