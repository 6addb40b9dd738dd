import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { createDb, type DbHandle } from "./create-db";
import { MIGRATIONS_FOLDER, migrate } from "./migrate";
import { bumpConfigVersion, getConfigVersion } from "./queries/config-version";
import { createTestDatabase, listTables, type TestDatabase } from "./testing/test-database";

const EXPECTED_TABLES = [
  "admin_sessions",
  "admin_users",
  "audit_log",
  "chain_entries",
  "chains",
  "client_api_keys",
  "config_version",
  "entry_rollups",
  "providers",
  "request_attempts",
  "request_log_dead_letters",
  "request_logs",
  "settings",
  "usage_rollups",
  "usage_totals",
];

describe("migrate", () => {
  let handle: DbHandle | undefined;
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await handle?.close();
    await database?.drop();
    handle = undefined;
    database = undefined;
  });

  async function open(backend: "postgres" | "pglite"): Promise<DbHandle> {
    if (backend === "postgres") {
      database = await createTestDatabase("migrate");
      handle = await createDb({ url: database.url });
    } else {
      handle = await createDb({ dataDir: "memory://" });
    }
    return handle;
  }

  it.each(["postgres", "pglite"] as const)(
    "%s: createDb leaves the database alone; migrate creates every table, twice safely",
    async (backend) => {
      const h = await open(backend);
      expect(await listTables(h.db)).toEqual([]);
      await migrate(h);
      expect(await listTables(h.db)).toEqual(EXPECTED_TABLES);
      await migrate(h);
      expect(await listTables(h.db)).toEqual(EXPECTED_TABLES);
      expect(await getConfigVersion(h.db)).toBe(0);
    },
  );

  it("pglite: a data dir keeps the migrated schema and data across opens", async () => {
    const dir = await mkdtemp(join(tmpdir(), "t429-pglite-"));
    try {
      const first = await createDb({ dataDir: dir });
      await migrate(first);
      await bumpConfigVersion(first.db);
      await first.close();
      handle = await createDb({ dataDir: dir });
      expect(await listTables(handle.db)).toEqual(EXPECTED_TABLES);
      expect(await getConfigVersion(handle.db)).toBe(1);
    } finally {
      await handle?.close();
      handle = undefined;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each(["postgres", "pglite"] as const)(
    "%s: chains stored before 0007 become chat chains; only embeddings chains take dimensions",
    async (backend) => {
      const h = await open(backend);
      const dir = await mkdtemp(join(tmpdir(), "t429-migrations-"));
      try {
        await cp(MIGRATIONS_FOLDER, dir, { recursive: true });
        const journalPath = join(dir, "meta", "_journal.json");
        const journal = JSON.parse(await readFile(journalPath, "utf8")) as {
          entries: { tag: string }[];
        };
        const upTo = journal.entries.findIndex((e) => e.tag === "0006_request_log_api");
        journal.entries = journal.entries.slice(0, upTo + 1);
        await writeFile(journalPath, JSON.stringify(journal));
        await migrate(h, { migrationsFolder: dir });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      await h.db.execute(sql`INSERT INTO chains (name, position) VALUES ('old', 0)`);
      await migrate(h);
      const rows = await h.db.execute(sql`SELECT name, kind, dimensions FROM chains`);
      expect((rows as unknown as { rows: unknown[] }).rows).toEqual([
        { name: "old", kind: "chat", dimensions: null },
      ]);
      const refused = async (statement: ReturnType<typeof sql>) => {
        const error = await h.db.execute(statement).then(
          () => null,
          (e: Error & { cause?: { code?: string } }) => e,
        );
        return error?.cause?.code;
      };
      expect(await refused(sql`UPDATE chains SET dimensions = 8`)).toBe("23514");
      expect(await refused(sql`UPDATE chains SET kind = 'rerank'`)).toBe("23514");
      expect(await refused(sql`UPDATE chains SET kind = 'embeddings', dimensions = 0`)).toBe(
        "23514",
      );
      await h.db.execute(sql`UPDATE chains SET kind = 'embeddings', dimensions = 8`);
    },
  );

  it.each(["postgres", "pglite"] as const)(
    "%s: chains stored before 0008 have no affinity; only chat chains take conversation",
    async (backend) => {
      const h = await open(backend);
      await migrateUpTo(h, "0007_chain_kind");
      await h.db.execute(sql`INSERT INTO chains (name, position) VALUES ('old', 0)`);
      await migrate(h);
      const rows = await h.db.execute(sql`SELECT name, affinity FROM chains`);
      expect((rows as unknown as { rows: unknown[] }).rows).toEqual([
        { name: "old", affinity: null },
      ]);
      const refused = async (statement: ReturnType<typeof sql>) => {
        const error = await h.db.execute(statement).then(
          () => null,
          (e: Error & { cause?: { code?: string } }) => e,
        );
        return error?.cause?.code;
      };
      expect(await refused(sql`UPDATE chains SET affinity = 'session'`)).toBe("23514");
      expect(
        await refused(sql`UPDATE chains SET kind = 'embeddings', affinity = 'conversation'`),
      ).toBe("23514");
      await h.db.execute(sql`UPDATE chains SET affinity = 'conversation'`);
    },
  );
});

/** Applies the committed migrations up to and including `tag`, as an older release did. */
async function migrateUpTo(h: DbHandle, tag: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "t429-migrations-"));
  try {
    await cp(MIGRATIONS_FOLDER, dir, { recursive: true });
    const journalPath = join(dir, "meta", "_journal.json");
    const journal = JSON.parse(await readFile(journalPath, "utf8")) as {
      entries: { tag: string }[];
    };
    journal.entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === tag) + 1);
    await writeFile(journalPath, JSON.stringify(journal));
    await migrate(h, { migrationsFolder: dir });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
