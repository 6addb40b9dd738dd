import {
  auditLog,
  clientApiKeys,
  derivePlaygroundKey,
  getConfigVersion,
  hashClientKey,
  masterKeyFromBytes,
  PLAYGROUND_KEY_NAME,
  revokeClientKey,
  rotateSecrets,
} from "@429chain/db";
import { type OpenTestDb, openTestDb } from "@429chain/db/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ensurePlaygroundKey } from "./playground-key";

const MASTER = masterKeyFromBytes(Buffer.alloc(32, 9));

describe("playground client key (postgres)", () => {
  let t: OpenTestDb;
  beforeAll(async () => {
    t = await openTestDb("postgres", "admin_playground_key");
  });
  afterAll(async () => {
    await t.cleanup();
  });
  beforeEach(async () => {
    await t.reset();
  });

  it("creates the key once, audited, and stores only its hash", async () => {
    const first = await ensurePlaygroundKey(t.db, MASTER, "admin@example.com");
    expect(first.createdVersion).toBe(await getConfigVersion(t.db));
    const again = await ensurePlaygroundKey(t.db, MASTER, "admin@example.com");
    expect(again).toEqual({ key: first.key, createdVersion: null });
    const rows = await t.db.select().from(clientApiKeys);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      name: PLAYGROUND_KEY_NAME,
      keyHash: hashClientKey(first.key),
      secretCiphertext: null,
    });
    const audits = await t.db.select().from(auditLog);
    expect(audits.map((a) => [a.action, a.actor])).toEqual([
      ["client_key.create", "admin@example.com"],
    ]);
    expect(JSON.stringify(audits)).not.toContain(first.key);
  });

  it("inserts one row when first uses race", async () => {
    const keys = await Promise.all(
      Array.from({ length: 5 }, () => ensurePlaygroundKey(t.db, MASTER, "admin@example.com")),
    );
    expect(new Set(keys.map((k) => k.key)).size).toBe(1);
    expect(await t.db.select().from(clientApiKeys)).toHaveLength(1);
  });

  it("moves to a new key after the old one is revoked", async () => {
    const first = await ensurePlaygroundKey(t.db, MASTER, "admin@example.com");
    const [row] = await t.db.select().from(clientApiKeys);
    await revokeClientKey(t.db, row!.id, "someone@example.com");
    const next = await ensurePlaygroundKey(t.db, MASTER, "admin@example.com");
    expect(next.key).toBe(derivePlaygroundKey(MASTER, 1));
    expect(next.key).not.toBe(first.key);
    expect(next.createdVersion).not.toBeNull();
  });

  it("after a master-key rotation, the old key's playground key is revoked and a new one derived", async () => {
    const NEW_MASTER = masterKeyFromBytes(Buffer.alloc(32, 10));
    const old = await ensurePlaygroundKey(t.db, MASTER, "admin@example.com");
    const result = await rotateSecrets(t.db, MASTER, NEW_MASTER, "ops");
    expect(result.playgroundKeysRevoked).toBe(1);
    const [row] = await t.db.select().from(clientApiKeys);
    expect(row).toMatchObject({ keyHash: hashClientKey(old.key) });
    expect(row!.revokedAt).not.toBeNull();

    const next = await ensurePlaygroundKey(t.db, NEW_MASTER, "admin@example.com");
    expect(next.key).toBe(derivePlaygroundKey(NEW_MASTER, 0));
    expect(next.createdVersion).not.toBeNull();
    // Rotating again finds nothing of the first key left to revoke.
    expect((await rotateSecrets(t.db, MASTER, NEW_MASTER)).playgroundKeysRevoked).toBe(0);
  });

  it("revokes only playground keys the old master key derived", async () => {
    const NEW_MASTER = masterKeyFromBytes(Buffer.alloc(32, 10));
    const other = masterKeyFromBytes(Buffer.alloc(32, 11));
    await ensurePlaygroundKey(t.db, other, "admin@example.com");
    expect((await rotateSecrets(t.db, MASTER, NEW_MASTER)).playgroundKeysRevoked).toBe(0);
    const rows = await t.db.select().from(clientApiKeys);
    expect(rows.map((r) => r.revokedAt)).toEqual([null]);
  });
});
