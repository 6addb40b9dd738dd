import type { Config } from "@429chain/contracts";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createClientKey } from "../queries/client-keys";
import { getConfigVersion } from "../queries/config-version";
import { ConfigSnapshotError } from "../queries/errors";
import { exportConfig } from "../queries/export-config";
import { importConfig } from "../queries/import-config";
import { loadConfigSnapshot } from "../queries/load-config-snapshot";
import { clientApiKeys, providers } from "../schema";
import { loadExampleConfig, TEST_KEY_A, TEST_KEY_B } from "../testing/fixtures";
import { dumpTables, type OpenTestDb, openTestDb, TEST_BACKENDS } from "../testing/test-database";
import { masterKeyFromBytes } from "./master-key";
import { rotateSecrets } from "./rotate-secrets";

describe.each(TEST_BACKENDS)("secrets at rest on %s", (backend) => {
  let t: OpenTestDb;
  let example: Config;
  beforeAll(async () => {
    t = await openTestDb(backend, "secrets");
    example = await loadExampleConfig();
  });
  afterAll(() => t.cleanup());
  beforeEach(async () => {
    await t.reset();
    await importConfig(t.db, example, { masterKey: TEST_KEY_A, actor: "test" });
  });

  it("stores no secret in plaintext in any column of any table", async () => {
    const { key } = await createClientKey(t.db, { name: "issued" }, "test");
    await rotateSecrets(t.db, TEST_KEY_A, TEST_KEY_B);
    const plaintexts = [
      ...example.providers.map((p) => p.apiKey),
      ...example.settings.apiKeys,
      key,
    ];
    const dump = JSON.stringify(await dumpTables(t.db));
    for (const secret of plaintexts) expect(dump).not.toContain(secret);
    expect(dump).toContain("v1:"); // the scan does see the ciphertext columns
  });

  it("rotates every secret in one go; the old key no longer decrypts", async () => {
    const result = await rotateSecrets(t.db, TEST_KEY_A, TEST_KEY_B, "ops");
    expect(result).toEqual({
      providers: example.providers.length,
      clientKeys: 1,
      playgroundKeysRevoked: 0,
      version: 2,
    });
    const keyIds = await t.db.select({ id: providers.apiKeyKeyId }).from(providers);
    expect(new Set(keyIds.map((k) => k.id))).toEqual(new Set([TEST_KEY_B.id]));
    const snapshot = await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_B });
    expect(snapshot.config).toEqual(example);
    const error = await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A }).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigSnapshotError);
    expect(error.code).toBe("secrets");
    expect(error.message).toContain(`encrypted with master key ${TEST_KEY_B.id}`);
    // Finishing an interrupted rotation again is a no-op.
    expect(await rotateSecrets(t.db, TEST_KEY_A, TEST_KEY_B)).toMatchObject({ providers: 0 });
  });

  it("rotating with the wrong old key changes nothing", async () => {
    const before = await dumpTables(t.db);
    const wrongOld = masterKeyFromBytes(Buffer.alloc(32, 0xc3));
    await expect(rotateSecrets(t.db, wrongOld, TEST_KEY_B)).rejects.toThrow(
      `encrypted with master key ${TEST_KEY_A.id}, but the given master key is ${wrongOld.id}`,
    );
    expect(await dumpTables(t.db)).toEqual(before);
  });

  it("rejects a snapshot whose chain entry references a provider deleted behind the schema", async () => {
    await t.db.transaction(async (tx) => {
      // Replica mode skips the FK triggers, as a bad restore or manual repair could.
      await tx.execute(sql`SET LOCAL session_replication_role = replica`);
      await tx.delete(providers).where(sql`${providers.id} = 'openai'`);
    });
    const error = await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A }).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigSnapshotError);
    expect(error.code).toBe("invalid");
    expect(error.issues).toEqual(['chains.1.entries.3.provider: unknown provider "openai"']);
  });

  it("rejects a snapshot whose default chain was deleted", async () => {
    await t.db.execute(sql`DELETE FROM chains WHERE name = 'fast'`);
    const error = await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A }).catch((e) => e);
    expect(error.issues).toEqual(['settings.defaultChain: unknown chain "fast"']);
  });

  it("rejects a tampered ciphertext, naming the record", async () => {
    await t.db.execute(
      sql`UPDATE providers SET api_key_ciphertext = api_key_ciphertext || 'AA' WHERE id = 'groq'`,
    );
    const error = await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A }).catch((e) => e);
    expect(error.code).toBe("secrets");
    expect(error.issues[0]).toMatch(/^provider "groq" apiKey: /);
  });

  it("reports an empty database as such", async () => {
    await t.reset();
    const error = await loadConfigSnapshot(t.db, { masterKey: TEST_KEY_A }).catch((e) => e);
    expect(error).toMatchObject({ name: "ConfigSnapshotError", code: "empty" });
    await expect(exportConfig(t.db, { withSecrets: false })).rejects.toThrow(/no config yet/);
    expect(await getConfigVersion(t.db)).toBe(0);
  });

  it("keeps v1 file keys recoverable only through the master key", async () => {
    const [row] = await t.db.select().from(clientApiKeys);
    expect(row!.secretKeyId).toBe(TEST_KEY_A.id);
    const exported = await exportConfig(t.db, { withSecrets: true, masterKey: TEST_KEY_A });
    expect(exported.config.settings.apiKeys).toEqual(example.settings.apiKeys);
  });
});
