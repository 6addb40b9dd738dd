import { createHash } from "node:crypto";
import { loadConfigSnapshot, parseMasterKey } from "@429chain/db";
import { dumpTables } from "@429chain/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliFixture, openCliFixture } from "./cli-fixture";
import { runCli } from "./run-cli";

const ISSUED_KEY = /^ {2}(sk-429-[0-9A-Za-z]{43})$/m;

let fx: CliFixture;
let env: Record<string, string>;

async function snapshot() {
  return loadConfigSnapshot(fx.handle.db, { masterKey: parseMasterKey(fx.masterKey) });
}

beforeAll(async () => {
  fx = await openCliFixture("cli_keys", true);
  env = fx.env;
});

afterAll(async () => {
  await fx?.close();
});

describe("429chain keys", { timeout: 60_000 }, () => {
  let key = "";
  let prefix = "";

  it("creates a key, prints it once and stores only its hash", async () => {
    const result = await runCli(
      [
        "keys",
        "create",
        "--name",
        "ci bot",
        "--chains",
        "fast,smart",
        "--rpm",
        "60",
        "--daily-tokens",
        "100000",
        "--monthly-tokens",
        "2000000",
        "--daily-usd",
        "0.5",
        "--expires",
        "2099-12-31",
      ],
      { env },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Store it now; it cannot be shown again.");
    key = ISSUED_KEY.exec(result.stdout)?.[1] ?? "";
    expect(key).not.toBe("");
    prefix = key.slice(0, "sk-429-".length + 6);
    expect(result.stdout).toContain(`prefix ${prefix}`);
    expect(result.stdout).toContain("spend budgets: daily $0.5 / monthly -");
    expect(await fx.listener.next()).toBe("2");

    const stored = (await snapshot()).clientKeys.find(
      (k) => k.hash === createHash("sha256").update(key).digest("hex"),
    );
    expect(stored).toMatchObject({
      name: "ci bot",
      displayPrefix: prefix,
      source: "issued",
      allowedChains: ["fast", "smart"],
      rpm: 60,
      dailyTokens: 100000,
      monthlyTokens: 2000000,
      dailySpendMicros: 500_000,
      monthlySpendMicros: null,
      expiresAt: new Date("2099-12-31T00:00:00.000Z"),
      revoked: false,
    });
    const dump = JSON.stringify(await dumpTables(fx.handle.db));
    expect(dump).not.toContain(key);
    expect(dump).not.toContain(key.slice("sk-429-".length));
  });

  it("refuses an unknown chain and writes nothing", async () => {
    const before = await dumpTables(fx.handle.db);
    const result = await runCli(["keys", "create", "--name", "x", "--chains", "nope"], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('chains: unknown chain "nope"');
    expect(await dumpTables(fx.handle.db)).toEqual(before);
  });

  it("lists keys with their limits and never a hash or secret", async () => {
    const result = await runCli(["keys", "list"], { env });
    expect(result.code).toBe(0);
    const [header, ...rows] = result.stdout.trimEnd().split("\n");
    expect(header).toMatch(
      /^PREFIX\s+NAME\s+CHAINS\s+RPM\s+TOKEN BUDGETS\s+EXPIRES\s+REVOKED\s+LAST USED\s+SOURCE\s+ID$/,
    );
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(
      new RegExp(
        `^${prefix}\\s+ci bot\\s+fast,smart\\s+60\\s+daily 100000 / monthly 2000000\\s+2099-12-31T00:00:00.000Z\\s+-\\s+-\\s+issued\\s+[0-9a-f-]{36}$`,
      ),
    );
    expect(rows[1]).toContain("config");
    const hashes = (await snapshot()).clientKeys.map((k) => k.hash);
    for (const hash of hashes) expect(result.stdout).not.toContain(hash);
    expect(result.stdout).not.toContain(key);
    expect(result.stdout).not.toContain("sk-429chain-change-me");

    const json = await runCli(["keys", "list", "--json"], { env });
    const listed = JSON.parse(json.stdout) as Record<string, unknown>[];
    expect(listed.map((k) => k.displayPrefix)).toContain(prefix);
    for (const k of listed) expect(Object.keys(k)).not.toContain("keyHash");
  });

  it("revokes by prefix, announces it, and a second revoke changes nothing", async () => {
    const result = await runCli(["keys", "revoke", prefix], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`^revoked client key "ci bot" ${prefix} .*config version 3\\n$`),
    );
    expect(await fx.listener.next()).toBe("3");
    const stored = (await snapshot()).clientKeys.find((k) => k.displayPrefix === prefix);
    expect(stored?.revoked).toBe(true);
    expect((await snapshot()).version).toBe(3);

    const again = await runCli(["keys", "revoke", stored!.id], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("was already revoked");
    expect((await snapshot()).version).toBe(3);
  });

  it("reports an unknown prefix with exit 1", async () => {
    const result = await runCli(["keys", "revoke", "sk-429-nothere"], { env });
    expect(result).toMatchObject({ code: 1, stderr: 'error: no client key "sk-429-nothere"\n' });
  });
});
