import { createHash } from "node:crypto";
import { PUBLIC_EXAMPLE_CLIENT_KEYS } from "@429chain/contracts";
import { loadConfigSnapshot, parseMasterKey } from "@429chain/db";
import { dumpTables } from "@429chain/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliFixture, openCliFixture } from "./cli-fixture";
import { EXAMPLE_CONFIG } from "./paths";
import { runCli } from "./run-cli";

// What Compose's migrate service and Helm's migrate Job run on every deploy.
const DEPLOY_MIGRATE = ["migrate", "--seed-config", EXAMPLE_CONFIG, "--first-key"];
const SHOWN_ONCE = "first client key (shown once, store it now):";
const ISSUED_KEY = /^ {2}(sk-429-[0-9A-Za-z]{43})$/gm;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const PUBLISHED_HASHES = PUBLIC_EXAMPLE_CLIENT_KEYS.map(sha256);

function printedKeys(stdout: string): string[] {
  return [...stdout.matchAll(ISSUED_KEY)].map((m) => m[1] as string);
}

async function storedKeys(fx: CliFixture) {
  const snapshot = await loadConfigSnapshot(fx.handle.db, {
    masterKey: parseMasterKey(fx.masterKey),
  });
  return snapshot.clientKeys;
}

describe("migrate --seed-config --first-key on a fresh database", { timeout: 90_000 }, () => {
  let fx: CliFixture;
  let firstKey = "";
  beforeAll(async () => {
    fx = await openCliFixture("cli_first_key", false);
  });
  afterAll(async () => {
    await fx?.close();
  });

  it("seeds the example config without its published key and prints a generated key once", async () => {
    const result = await runCli(DEPLOY_MIGRATE, { env: fx.env });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `warning: settings.apiKeys[0] (${PUBLIC_EXAMPLE_CLIENT_KEYS[0]}) is the example key published in this repository, so anyone could use it: not imported\n`,
    );
    expect(result.stdout).toContain(`imported ${EXAMPLE_CONFIG}: config version 1\n`);
    expect(result.stdout.split(SHOWN_ONCE)).toHaveLength(2);
    const printed = printedKeys(result.stdout);
    expect(printed).toHaveLength(1);
    firstKey = printed[0] ?? "";
    expect(await fx.listener.next()).toBe("1");
    expect(await fx.listener.next()).toBe("2");

    const keys = await storedKeys(fx);
    expect(keys.map((k) => k.hash)).toEqual([sha256(firstKey)]);
    expect(keys[0]).toMatchObject({
      name: "first key",
      source: "issued",
      allowedChains: null,
      expiresAt: null,
      revoked: false,
    });
    const dump = JSON.stringify(await dumpTables(fx.handle.db));
    for (const hash of PUBLISHED_HASHES) expect(dump).not.toContain(hash);
    expect(dump).not.toContain(firstKey);
  });

  it("prints no key on the next run: the first one is still usable", async () => {
    const result = await runCli(DEPLOY_MIGRATE, { env: fx.env });
    expect(result).toMatchObject({
      code: 0,
      stdout: `database schema is up to date\na config is already stored; ${EXAMPLE_CONFIG} not imported (--if-empty)\n`,
      stderr: "",
    });
    expect((await storedKeys(fx)).map((k) => k.hash)).toEqual([sha256(firstKey)]);
  });

  it("issues a new key once every stored key is revoked", async () => {
    const prefix = firstKey.slice(0, "sk-429-".length + 6);
    expect(await runCli(["keys", "revoke", prefix], { env: fx.env })).toMatchObject({ code: 0 });
    const result = await runCli(DEPLOY_MIGRATE, { env: fx.env });
    expect(result.code).toBe(0);
    const printed = printedKeys(result.stdout);
    expect(printed).toHaveLength(1);
    expect(printed[0]).not.toBe(firstKey);
    const live = (await storedKeys(fx)).filter((k) => !k.revoked);
    expect(live.map((k) => k.hash)).toEqual([sha256(printed[0] ?? "")]);
  });

  it("generates nothing without --first-key, even with no usable key", async () => {
    for (const key of (await storedKeys(fx)).filter((k) => !k.revoked)) {
      expect(await runCli(["keys", "revoke", key.id], { env: fx.env })).toMatchObject({ code: 0 });
    }
    const before = await dumpTables(fx.handle.db);
    const result = await runCli(["migrate", "--seed-config", EXAMPLE_CONFIG], { env: fx.env });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(SHOWN_ONCE);
    expect(await dumpTables(fx.handle.db)).toEqual(before);
  });
});

describe("migrate --first-key on a database set up by hand", { timeout: 90_000 }, () => {
  let fx: CliFixture;
  beforeAll(async () => {
    // Migrated, with the example config imported by a plain `config import`: the published
    // key is stored, as it was by earlier versions of the migrate step.
    fx = await openCliFixture("cli_first_key_existing", true);
  });
  afterAll(async () => {
    await fx?.close();
  });

  it("does not count the published key, names it, and issues a key", async () => {
    const before = await storedKeys(fx);
    expect(before.map((k) => k.hash)).toEqual(PUBLISHED_HASHES);
    const result = await runCli(["migrate", "--first-key"], { env: fx.env });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'warning: stored client key "settings.apiKeys[0]" (prefix sk-429chai) is published in this repository',
    );
    expect(printedKeys(result.stdout)).toHaveLength(1);
    expect(await fx.listener.next()).toBe("2");
  });

  it("issues none while an issued key is usable", async () => {
    const created = await runCli(["keys", "create", "--name", "ops"], { env: fx.env });
    expect(created.code).toBe(0);
    const count = (await storedKeys(fx)).length;
    const result = await runCli(["migrate", "--first-key"], { env: fx.env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("database schema is up to date\n");
    expect(await storedKeys(fx)).toHaveLength(count);
  });
});
