import { loadConfigFile } from "@429chain/config";
import {
  clientApiKeys,
  derivePlaygroundKey,
  displayPrefixOf,
  hashClientKey,
  loadConfigSnapshot,
  PLAYGROUND_KEY_NAME,
  parseMasterKey,
} from "@429chain/db";
import { dumpTables } from "@429chain/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliFixture, openCliFixture } from "./cli-fixture";
import { EXAMPLE_CONFIG, newMasterKey } from "./paths";
import { runCli } from "./run-cli";

const NEW_KEY = newMasterKey();

let fx: CliFixture;
let env: Record<string, string>;
let OLD_KEY: string;

beforeAll(async () => {
  fx = await openCliFixture("cli_secrets", true);
  env = fx.env;
  OLD_KEY = fx.masterKey;
});

afterAll(async () => {
  await fx?.close();
});

describe("429chain secrets rotate", { timeout: 60_000 }, () => {
  let exportedUnderOldKey = "";

  it("needs NEW_MASTER_KEY, and a different one", async () => {
    exportedUnderOldKey = (await runCli(["config", "export", "--with-secrets"], { env })).stdout;
    expect(exportedUnderOldKey).toContain("apiKey: gsk_your_key_here");
    const before = await dumpTables(fx.handle.db);
    const missing = await runCli(["secrets", "rotate"], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("error: NEW_MASTER_KEY is not set");
    expect(missing.stderr).toContain("openssl rand -base64 32");
    const same = await runCli(["secrets", "rotate"], { env: { ...env, NEW_MASTER_KEY: OLD_KEY } });
    expect(same).toMatchObject({
      code: 1,
      stderr: "error: NEW_MASTER_KEY is the same key as MASTER_KEY: nothing to rotate\n",
    });
    expect(await dumpTables(fx.handle.db)).toEqual(before);
  });

  it("re-encrypts everything, prints counts, says to switch MASTER_KEY and announces it", async () => {
    // The admin console's playground key, as it derives it from the current MASTER_KEY.
    const playgroundKey = derivePlaygroundKey(parseMasterKey(OLD_KEY), 0);
    await fx.handle.db.insert(clientApiKeys).values({
      name: PLAYGROUND_KEY_NAME,
      keyHash: hashClientKey(playgroundKey),
      displayPrefix: displayPrefixOf(playgroundKey),
      source: "issued",
    });
    const result = await runCli(["secrets", "rotate"], {
      env: { ...env, NEW_MASTER_KEY: NEW_KEY },
    });
    expect(result.code).toBe(0);
    const oldId = parseMasterKey(OLD_KEY).id;
    const newId = parseMasterKey(NEW_KEY).id;
    const file = await loadConfigFile(EXAMPLE_CONFIG);
    if (!file.ok) throw new Error(file.errors.join("\n"));
    const providers = file.config.providers.length;
    const clientKeys = file.config.settings.apiKeys.length;
    expect(result.stdout).toContain(
      `re-encrypted ${providers} provider key(s) and ${clientKeys} client key(s) from master key ${oldId} to ${newId}: config version 2`,
    );
    expect(result.stdout).toContain("revoked 1 admin playground key(s) derived from the old key");
    expect(result.stdout).toContain("set MASTER_KEY to the value of NEW_MASTER_KEY");
    expect(result.stdout + result.stderr).not.toContain(OLD_KEY);
    expect(result.stdout + result.stderr).not.toContain(NEW_KEY);
    expect(await fx.listener.next()).toBe("2");
    const snapshot = await loadConfigSnapshot(fx.handle.db, { masterKey: parseMasterKey(NEW_KEY) });
    expect(snapshot.config.providers[0]?.apiKey).toBe("gsk_your_key_here");
    const playground = snapshot.clientKeys.find((k) => k.name === PLAYGROUND_KEY_NAME);
    expect(playground).toMatchObject({ hash: hashClientKey(playgroundKey), revoked: true });
  });

  it("exports with the new key, and fails clearly with the old one", async () => {
    const withNew = await runCli(["config", "export", "--with-secrets"], {
      env: { ...env, MASTER_KEY: NEW_KEY },
    });
    expect(withNew.code).toBe(0);
    expect(withNew.stdout).toBe(exportedUnderOldKey);
    const withOld = await runCli(["config", "export", "--with-secrets"], { env });
    expect(withOld.code).toBe(1);
    expect(withOld.stdout).toBe("");
    const oldId = parseMasterKey(OLD_KEY).id;
    const newId = parseMasterKey(NEW_KEY).id;
    expect(withOld.stderr).toMatch(
      new RegExp(
        `^error: MASTER_KEY \\(key ${oldId}\\) cannot decrypt the stored secrets: .*secret was encrypted with master key ${newId}, but the given master key is ${oldId}\\n$`,
      ),
    );
  });
});
