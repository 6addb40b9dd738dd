import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfigFile } from "@429chain/config";
import { type DbHandle, loadConfigSnapshot, parseMasterKey } from "@429chain/db";
import { dumpTables } from "@429chain/db/testing";
import { freePort } from "@429chain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliFixture, openCliFixture } from "./cli-fixture";
import { EXAMPLE_CONFIG } from "./paths";
import { runCli } from "./run-cli";

let fx: CliFixture;
let env: Record<string, string>;
let MASTER_KEY: string;
let handle: DbHandle;
let dir: string;

beforeAll(async () => {
  fx = await openCliFixture("cli_config", false);
  ({ env, masterKey: MASTER_KEY, handle } = fx);
  dir = await mkdtemp(join(tmpdir(), "429chain-cli-config-"));
});

afterAll(async () => {
  await fx?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("429chain migrate and config", { timeout: 60_000 }, () => {
  it("tells the operator to migrate when the tables are missing", async () => {
    const result = await runCli(["keys", "list"], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: the database has no 429chain tables yet: run `429chain migrate` first/,
    );
  });

  it("migrates, and migrating again changes nothing", async () => {
    const first = await runCli(["migrate"], { env });
    expect(first).toMatchObject({ code: 0, stdout: "database schema is up to date\n" });
    const tables = await dumpTables(handle.db);
    expect(Object.keys(tables)).toEqual(
      expect.arrayContaining(["providers", "chains", "client_api_keys", "config_version"]),
    );
    expect(await runCli(["migrate"], { env })).toMatchObject({ code: 0 });
    expect(await dumpTables(handle.db)).toEqual(tables);
  });

  it("refuses to import without MASTER_KEY and leaves the database untouched", async () => {
    const before = await dumpTables(handle.db);
    const result = await runCli(["config", "import", EXAMPLE_CONFIG], {
      env: { ...env, MASTER_KEY: "" },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("MASTER_KEY is not set");
    expect(result.stderr).toContain("openssl rand -base64 32");
    expect(await dumpTables(handle.db)).toEqual(before);
  });

  it("imports the example config, stores what the file says and announces the version", async () => {
    // --if-empty imports into an empty database like a plain import.
    const result = await runCli(["config", "import", "--if-empty", EXAMPLE_CONFIG], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`imported ${EXAMPLE_CONFIG}: config version 1\n`);
    expect(await fx.listener.next()).toBe("1");
    const file = await loadConfigFile(EXAMPLE_CONFIG);
    if (!file.ok) throw new Error(file.errors.join("\n"));
    const snapshot = await loadConfigSnapshot(handle.db, { masterKey: parseMasterKey(MASTER_KEY) });
    expect(snapshot.version).toBe(1);
    expect(snapshot.config).toEqual(file.config);
    const dump = JSON.stringify(await dumpTables(handle.db));
    for (const provider of file.config.providers) expect(dump).not.toContain(provider.apiKey);
  });

  it("migrate --seed-config imports nothing over a stored config", async () => {
    const result = await runCli(["migrate", "--seed-config", EXAMPLE_CONFIG], { env });
    expect(result).toMatchObject({
      code: 0,
      stdout: `database schema is up to date\na config is already stored; ${EXAMPLE_CONFIG} not imported (--if-empty)\n`,
    });
  });

  it("--if-empty leaves a stored config alone", async () => {
    const result = await runCli(["config", "import", "--if-empty", EXAMPLE_CONFIG], { env });
    expect(result).toMatchObject({
      code: 0,
      stdout: `a config is already stored; ${EXAMPLE_CONFIG} not imported (--if-empty)\n`,
    });
    const snapshot = await loadConfigSnapshot(handle.db, { masterKey: parseMasterKey(MASTER_KEY) });
    expect(snapshot.version).toBe(1);
  });

  it("round-trips: export → import → export gives the same YAML, secrets redacted", async () => {
    const first = await runCli(["config", "export"], { env });
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("redacted");
    expect(first.stdout).toContain("apiKey: <redacted:provider-key>");
    expect(first.stdout).not.toContain("gsk_your_key_here");
    const exported = join(dir, "exported.yaml");
    await writeFile(exported, first.stdout);
    const imported = await runCli(["config", "import", exported], { env });
    expect(imported).toMatchObject({ code: 0, stdout: `imported ${exported}: config version 2\n` });
    expect(await fx.listener.next()).toBe("2");
    const second = await runCli(["config", "export"], { env });
    expect(second.stdout).toBe(first.stdout);
  });

  it("round-trips with --with-secrets through --out files created owner-only", async () => {
    const out = join(dir, "with-secrets.yaml");
    const first = await runCli(["config", "export", "--with-secrets", "--out", out], { env });
    expect(first).toMatchObject({ code: 0, stdout: "" });
    expect(first.stderr).toBe(`wrote ${out}\n`);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    const text = await readFile(out, "utf8");
    expect(text).toContain("apiKey: gsk_your_key_here");
    expect(text).toContain("- sk-429chain-change-me");
    expect(await runCli(["config", "import", out], { env })).toMatchObject({ code: 0 });
    expect(await fx.listener.next()).toBe("3");
    const second = await runCli(["config", "export", "--with-secrets"], { env });
    expect(second.stdout).toBe(text);
  });

  it("refuses a file with errors: every error names path and line, the database is untouched", async () => {
    const bad = join(dir, "bad.yaml");
    const text = (await readFile(EXAMPLE_CONFIG, "utf8"))
      .replace("type: groq", "type: groqq")
      .replace("requestsPerMinute: 30", "requestsPerMinut: 30");
    await writeFile(bad, text);
    const lineOf = (needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;
    const before = await dumpTables(handle.db);
    const result = await runCli(["config", "import", bad], { env });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain(`error: providers[0].type: Invalid option`);
    expect(result.stderr).toContain(`(line ${lineOf("type: groqq")})`);
    expect(result.stderr).toContain(
      `warning: providers[0].rateLimits.requestsPerMinut: unknown key, did you mean "requestsPerMinute"? (line ${lineOf("requestsPerMinut:")})`,
    );
    expect(result.stderr).toContain(
      `config import refused: 1 error in ${bad}; the database is unchanged`,
    );
    expect(await dumpTables(handle.db)).toEqual(before);
  });

  it("reports an unreadable file clearly", async () => {
    const missing = join(dir, "missing.yaml");
    const result = await runCli(["config", "import", missing], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`error: config file not found: ${missing}`);
  });

  it("keeps a write when Redis is down and warns that replicas will poll", async () => {
    const port = await freePort();
    const result = await runCli(["config", "import", EXAMPLE_CONFIG], {
      env: { ...env, REDIS_URL: `redis://127.0.0.1:${port}` },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("config version 4");
    expect(result.stderr).toMatch(
      /^warning: config version 4 is saved, but announcing it on Redis failed \(.*ECONNREFUSED.*\); gateway replicas will pick the change up at their next version poll\n$/,
    );
    const snapshot = await loadConfigSnapshot(handle.db, { masterKey: parseMasterKey(MASTER_KEY) });
    expect(snapshot.version).toBe(4);
  });
});
