import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli";

// No database is reachable at this address: these commands must fail before opening one.
const NO_DB = { DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" };

describe("429chain command line", { timeout: 60_000 }, () => {
  it("prints help for --help, for a group and for a command, without any environment", async () => {
    const main = await runCli(["--help"], { env: {} });
    expect(main.code).toBe(0);
    expect(main.stdout).toContain("config import");
    expect(main.stdout).toContain("secrets rotate");
    const group = await runCli(["keys", "--help"], { env: {} });
    expect(group.code).toBe(0);
    expect(group.stdout).toContain("keys revoke");
    const command = await runCli(["help", "keys", "create"], { env: {} });
    expect(command.code).toBe(0);
    expect(command.stdout).toContain("--monthly-tokens");
  });

  it("runs through the package's bin shim from any directory", async () => {
    const bin = fileURLToPath(new URL("../bin/429chain.mjs", import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [bin, "help", "migrate"], {
      cwd: "/",
      env: { PATH: process.env.PATH ?? "" },
    });
    expect(stdout).toMatch(
      /^usage: 429chain migrate \[--seed-config <file.yaml>\] \[--first-key\]\n/,
    );
  });

  it("answers a missing or unknown command, flag or argument with usage and exit 2", async () => {
    const cases = [
      ["nope"],
      ["keys"],
      ["keys", "rotate"],
      ["keys", "create", "--name", "x", "--bogus"],
      ["config", "import"],
      ["migrate", "extra"],
    ];
    const results = await Promise.all(cases.map((args) => runCli(args, { env: NO_DB })));
    for (const [i, result] of results.entries()) {
      const label = cases[i]!.join(" ");
      expect(result.code, label).toBe(2);
      expect(result.stderr, label).toMatch(/^error: .+\n\nusage: 429chain/);
      expect(result.stdout, label).toBe("");
    }
  });

  it("rejects a malformed flag value with exit 2 before touching the database", async () => {
    const cases: [string[], RegExp][] = [
      [["keys", "create", "--name", "x", "--rpm", "ten"], /--rpm must be a positive whole number/],
      [["keys", "create", "--rpm", "10"], /--name is required/],
      [
        ["keys", "create", "--name", "x", "--expires", "2001-01-01"],
        /--expires must be in the future/,
      ],
      [
        ["keys", "create", "--name", "x", "--expires", "soon"],
        /--expires must be an ISO 8601 date/,
      ],
      [["users", "create", "--email", "a@b.co", "--role", "root"], /--role must be one of/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args, { env: NO_DB })));
    for (const [i, result] of results.entries()) {
      const [args, message] = cases[i]!;
      expect(result.code, args.join(" ")).toBe(2);
      expect(result.stderr, args.join(" ")).toMatch(message);
    }
  });

  it("lists every environment problem at once and exits 1 without a stack trace", async () => {
    const result = await runCli(["keys", "list"], { env: { REDIS_URL: "http://x" } });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("DATABASE_URL: not set: set DATABASE_URL");
    expect(result.stderr).toMatch(
      /REDIS_URL: must be redis:\/\/host:port .*redis\+cluster:\/\/.*redis\+sentinel:\/\//,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("names MASTER_KEY and how to make one when a command needs it", async () => {
    const result = await runCli(["config", "import", "whatever.yaml"], { env: NO_DB });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "error: MASTER_KEY is not set: database mode needs a 32-byte key, e.g. `openssl rand -base64 32`\n",
    );
  });

  it("never echoes a malformed master key", async () => {
    const secret = "not-a-real-key-but-secret-looking";
    const result = await runCli(["secrets", "rotate"], {
      env: { ...NO_DB, MASTER_KEY: secret, NEW_MASTER_KEY: secret },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("MASTER_KEY");
    expect(result.stderr + result.stdout).not.toContain(secret);
  });

  it("shows the stack trace only with DEBUG=1", async () => {
    const plain = await runCli(["keys", "list"], { env: NO_DB });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(/^error: cannot reach the database server: .*ECONNREFUSED/);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const debug = await runCli(["keys", "list"], { env: { ...NO_DB, DEBUG: "1" } });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});
