import { loadConfigSnapshot, parseMasterKey, verifyPassword } from "@429chain/db";
import { dumpTables } from "@429chain/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliFixture, openCliFixture } from "./cli-fixture";
import { runCli } from "./run-cli";

let fx: CliFixture;
let env: Record<string, string>;

beforeAll(async () => {
  fx = await openCliFixture("cli_users", true);
  env = fx.env;
});

afterAll(async () => {
  await fx?.close();
});

describe("429chain users", { timeout: 60_000 }, () => {
  it("generates a strong password, prints it once and stores only its hash", async () => {
    const result = await runCli(
      ["users", "create", "--email", "Ops@Example.com", "--role", "admin"],
      {
        env,
      },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^created admin user ops@example.com \(id [0-9a-f-]{36}\)\n/);
    expect(result.stdout).toContain("Store it now; it cannot be shown again.");
    const password = /^ {2}password: (\S+)$/m.exec(result.stdout)?.[1] ?? "";
    expect(password.length).toBeGreaterThanOrEqual(24);
    expect(await verifyPassword(fx.handle.db, "ops@example.com", password)).toMatchObject({
      role: "admin",
    });
    expect(JSON.stringify(await dumpTables(fx.handle.db))).not.toContain(password);
  });

  it("reads the password from stdin, prints no secret and does not announce a config change", async () => {
    const password = "correct horse battery staple";
    const result = await runCli(
      ["users", "create", "--email", "viewer@example.com", "--role", "viewer", "--password-stdin"],
      { env, stdin: `${password}\n` },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(password);
    expect(result.stdout).not.toContain("password:");
    expect(await verifyPassword(fx.handle.db, "viewer@example.com", password)).toMatchObject({
      role: "viewer",
    });
    // Users are not gateway config: the next announcement is the next config write's.
    expect(await runCli(["keys", "create", "--name", "after-user"], { env })).toMatchObject({
      code: 0,
    });
    const version = (
      await loadConfigSnapshot(fx.handle.db, { masterKey: parseMasterKey(fx.masterKey) })
    ).version;
    expect(await fx.listener.next()).toBe(String(version));
  });

  it("refuses a short password and a taken email with exit 1", async () => {
    const short = await runCli(
      ["users", "create", "--email", "short@example.com", "--role", "viewer", "--password-stdin"],
      { env, stdin: "tooshort\n" },
    );
    expect(short.code).toBe(1);
    expect(short.stderr).toContain("password: must be at least 12 characters");
    const taken = await runCli(
      ["users", "create", "--email", "ops@example.com", "--role", "viewer"],
      {
        env,
      },
    );
    expect(taken.code).toBe(1);
    expect(taken.stderr).toContain("already exists");
    expect(taken.stdout).toBe("");
    expect(await verifyPassword(fx.handle.db, "short@example.com", "tooshort")).toBeNull();
  });
});
