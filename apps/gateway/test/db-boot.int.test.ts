import { createTestDatabase, type TestDatabase } from "@429chain/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "./db-fixture";
import { startGatewayProcess } from "./gateway-process";

let migrated: TestDb;
let bare: TestDatabase;

beforeAll(async () => {
  migrated = await createTestDb("gw_boot");
  bare = await createTestDatabase("gw_boot_bare");
});
afterAll(async () => {
  await migrated?.close();
  await bare?.drop();
});

async function bootFailure(env: Record<string, string>): Promise<string> {
  const started = await startGatewayProcess({ env: { LOG_LEVEL: "warn", ...env } }).then(
    async (gw) => {
      await gw.stop();
      return undefined;
    },
    (err: unknown) => (err instanceof Error ? err.message : String(err)),
  );
  if (started === undefined) throw new Error("the gateway started but should not have");
  return started;
}

describe("gateway in DB mode refuses to start without a usable config", () => {
  it("names MASTER_KEY when it is missing", async () => {
    const message = await bootFailure({ DATABASE_URL: migrated.url });
    expect(message).toMatch(/MASTER_KEY is not set/);
  });

  it("says no config has been imported into a migrated but empty database", async () => {
    const message = await bootFailure({
      DATABASE_URL: migrated.url,
      MASTER_KEY: migrated.masterKeyText,
    });
    expect(message).toMatch(/cannot load the config from the database/);
  });

  it("says so when the database has no schema", async () => {
    const message = await bootFailure({
      DATABASE_URL: bare.url,
      MASTER_KEY: migrated.masterKeyText,
    });
    expect(message).toMatch(/cannot load the config from the database/);
  });
});
