import type { ConfigInput } from "@429chain/contracts";
import { createTestDb, type TestDb } from "../test/db-fixture";

/** A fresh, migrated database on the local Postgres server holding `config`. */
export async function openBenchDb(config: unknown): Promise<TestDb> {
  const db = await createTestDb("bench");
  try {
    await db.importConfig(config as ConfigInput);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
