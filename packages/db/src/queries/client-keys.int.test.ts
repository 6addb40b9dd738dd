import type { Config } from "@429chain/contracts";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { auditLog } from "../schema";
import { hashClientKey } from "../secrets/client-key";
import { loadExampleConfig, TEST_KEY_A } from "../testing/fixtures";
import { type OpenTestDb, openTestDb, TEST_BACKENDS } from "../testing/test-database";
import { createClientKey, listClientKeys, revokeClientKey } from "./client-keys";
import { getConfigVersion } from "./config-version";
import { ClientKeyLookupError, InvalidInputError } from "./errors";
import { importConfig } from "./import-config";
import { loadConfigSnapshot } from "./load-config-snapshot";

const masterKey = TEST_KEY_A;

describe.each(TEST_BACKENDS)("client keys on %s", (backend) => {
  let t: OpenTestDb;
  let example: Config;
  beforeAll(async () => {
    t = await openTestDb(backend, "client_keys");
    example = await loadExampleConfig();
  });
  afterAll(() => t.cleanup());
  beforeEach(async () => {
    await t.reset();
    await importConfig(t.db, example, { masterKey, actor: "test" });
  });

  it("creates a key shown once, stored as hash and prefix, and bumps the version", async () => {
    const expiresAt = new Date("2030-01-01T00:00:00Z");
    const created = await createClientKey(
      t.db,
      {
        name: "ci",
        chains: ["fast"],
        rpm: 60,
        dailyTokens: 1000,
        monthlyTokens: 9000,
        dailyUsd: 0.25,
        expiresAt,
      },
      "alice",
    );
    expect(created.key).toMatch(/^sk-429-[0-9A-Za-z]{43}$/);
    expect(created.record.displayPrefix).toBe(created.key.slice(0, 13));
    expect(created.version).toBe(2);
    expect(await getConfigVersion(t.db)).toBe(2);
    expect(created.record).not.toHaveProperty("keyHash");

    const snapshot = await loadConfigSnapshot(t.db, { masterKey });
    const issued = snapshot.clientKeys.find((k) => k.id === created.record.id);
    expect(issued).toEqual({
      id: created.record.id,
      hash: hashClientKey(created.key),
      displayPrefix: created.record.displayPrefix,
      name: "ci",
      source: "issued",
      allowedChains: ["fast"],
      rpm: 60,
      dailyTokens: 1000,
      monthlyTokens: 9000,
      dailySpendMicros: 250_000,
      monthlySpendMicros: null,
      expiresAt,
      revoked: false,
    });
    const audit = await t.db.select().from(auditLog).orderBy(auditLog.id);
    expect(audit.at(-1)).toMatchObject({ actor: "alice", action: "client_key.create" });
    expect(JSON.stringify(audit)).not.toContain(created.key);
  });

  it("refuses unknown chains and bad limits without writing", async () => {
    await expect(createClientKey(t.db, { name: "x", chains: ["nope"] }, "a")).rejects.toThrow(
      'chains: unknown chain "nope"',
    );
    await expect(createClientKey(t.db, { name: "x", rpm: 0 }, "a")).rejects.toThrow(
      InvalidInputError,
    );
    expect(await getConfigVersion(t.db)).toBe(1);
    expect(await listClientKeys(t.db)).toHaveLength(1);
  });

  it("lists newest first and revokes by display prefix, once", async () => {
    const a = await createClientKey(t.db, { name: "a" }, "t");
    const b = await createClientKey(t.db, { name: "b" }, "t");
    expect((await listClientKeys(t.db)).map((k) => k.name)).toEqual([
      "b",
      "a",
      "settings.apiKeys[0]",
    ]);
    const revoked = await revokeClientKey(t.db, a.record.displayPrefix, "bob");
    expect(revoked.record.revokedAt).toBeInstanceOf(Date);
    expect(revoked.version).toBe(4);
    expect(await getConfigVersion(t.db)).toBe(4);
    const again = await revokeClientKey(t.db, a.record.displayPrefix, "bob");
    expect(again.version).toBeNull();
    expect(await getConfigVersion(t.db)).toBe(4);
    const snapshot = await loadConfigSnapshot(t.db, { masterKey });
    const byId = new Map(snapshot.clientKeys.map((k) => [k.id, k.revoked]));
    expect(byId.get(a.record.id)).toBe(true);
    expect(byId.get(b.record.id)).toBe(false);
  });

  it("names a missing or ambiguous prefix; an id always works", async () => {
    const twoSimilar = {
      ...example,
      settings: { ...example.settings, apiKeys: ["abcdef-one", "abcdef-two", "other-key"] },
    };
    await importConfig(t.db, twoSimilar, { masterKey, actor: "t" });
    await expect(revokeClientKey(t.db, "zzz", "t")).rejects.toMatchObject({ reason: "not_found" });
    const ambiguous = await revokeClientKey(t.db, "abcde", "t").catch((e) => e);
    expect(ambiguous).toBeInstanceOf(ClientKeyLookupError);
    expect(ambiguous.reason).toBe("ambiguous");
    const [first] = (await listClientKeys(t.db)).filter((k) => k.displayPrefix === "abcde");
    expect((await revokeClientKey(t.db, first!.id, "t")).record.revokedAt).not.toBeNull();
  });

  it("keeps a revoked file key revoked on re-import and out of settings.apiKeys", async () => {
    const twoKeys = {
      ...example,
      settings: { ...example.settings, apiKeys: ["leaked-key-1", "kept-key-22"] },
    };
    await importConfig(t.db, twoKeys, { masterKey, actor: "t" });
    await revokeClientKey(t.db, "leaked", "t");
    await importConfig(t.db, twoKeys, { masterKey, actor: "t" });
    const snapshot = await loadConfigSnapshot(t.db, { masterKey });
    expect(snapshot.config.settings.apiKeys).toEqual(["kept-key-22"]);
    expect(snapshot.clientKeys.find((k) => k.displayPrefix === "leaked")?.revoked).toBe(true);
  });

  it("gives concurrent writes distinct, gapless versions", async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => createClientKey(t.db, { name: `k${i}` }, "t")),
    );
    expect(results.map((r) => r.version).sort()).toEqual([2, 3, 4, 5, 6, 7]);
    expect(await getConfigVersion(t.db)).toBe(7);
  });
});
