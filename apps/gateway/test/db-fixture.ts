import { randomBytes } from "node:crypto";
import { type Config, type ConfigInput, ConfigSchema } from "@429chain/contracts";
import {
  createDb,
  type DbHandle,
  importConfig,
  type MasterKey,
  migrate,
  parseMasterKey,
} from "@429chain/db";
import { createTestDatabase, type TestDatabase } from "@429chain/db/testing";

export interface TestDb {
  url: string;
  handle: DbHandle;
  masterKey: MasterKey;
  /** The MASTER_KEY env value. */
  masterKeyText: string;
  /** Imports a config the way the CLI does; returns the new config version. */
  importConfig(config: ConfigInput): Promise<number>;
  close(): Promise<void>;
}

/** A fresh, migrated Postgres database for one test file. */
export async function createTestDb(label: string): Promise<TestDb> {
  const database: TestDatabase = await createTestDatabase(label);
  const handle = await createDb({ url: database.url });
  // Tests terminate backends on purpose; an idle client dying must not be an unhandled error.
  if (handle.driver === "pg") handle.pool.on("error", () => {});
  await migrate(handle);
  const masterKeyText = randomBytes(32).toString("base64");
  const masterKey = parseMasterKey(masterKeyText);
  return {
    url: database.url,
    handle,
    masterKey,
    masterKeyText,
    importConfig: (config) =>
      importConfig(handle.db, ConfigSchema.parse(config) as Config, { masterKey, actor: "test" }),
    async close() {
      await handle.close();
      await database.drop();
    },
  };
}
