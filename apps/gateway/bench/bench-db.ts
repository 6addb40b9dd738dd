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
import { createTestDatabase } from "@429chain/db/testing";

export interface BenchDb {
  url: string;
  handle: DbHandle;
  masterKey: MasterKey;
  masterKeyText: string;
  close(): Promise<void>;
}

/** A fresh, migrated database on the local Postgres server holding `config`. */
export async function openBenchDb(config: unknown): Promise<BenchDb> {
  const database = await createTestDatabase("bench");
  const handle = await createDb({ url: database.url });
  await migrate(handle);
  const masterKeyText = randomBytes(32).toString("base64");
  const masterKey = parseMasterKey(masterKeyText);
  await importConfig(handle.db, ConfigSchema.parse(config as ConfigInput) as Config, {
    masterKey,
    actor: "bench",
  });
  return {
    url: database.url,
    handle,
    masterKey,
    masterKeyText,
    async close() {
      await handle.close();
      await database.drop();
    },
  };
}
