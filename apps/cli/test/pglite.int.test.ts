import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb, loadConfigSnapshot, parseMasterKey } from "@429chain/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_CONFIG, newMasterKey } from "./paths";
import { runCli } from "./run-cli";

const MASTER_KEY = newMasterKey();

let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "429chain-cli-pglite-"));
  env = { DATA_DIR: join(dir, "data"), MASTER_KEY };
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("429chain on the embedded database (DATA_DIR)", { timeout: 90_000 }, () => {
  it("migrates, imports and round-trips the example config", async () => {
    expect(await runCli(["migrate"], { env })).toMatchObject({ code: 0 });
    const imported = await runCli(["config", "import", EXAMPLE_CONFIG], { env });
    expect(imported).toMatchObject({
      code: 0,
      stdout: `imported ${EXAMPLE_CONFIG}: config version 1\n`,
    });

    const first = await runCli(["config", "export"], { env });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("apiKey: <redacted:provider-key>");
    const exported = join(dir, "exported.yaml");
    await writeFile(exported, first.stdout);
    expect(await runCli(["config", "import", exported], { env })).toMatchObject({ code: 0 });
    const second = await runCli(["config", "export"], { env });
    expect(second.stdout).toBe(first.stdout);

    // The CLI has exited and closed the directory, so this process may open it.
    const handle = await createDb({ dataDir: env.DATA_DIR! });
    try {
      const snapshot = await loadConfigSnapshot(handle.db, {
        masterKey: parseMasterKey(MASTER_KEY),
      });
      expect(snapshot.version).toBe(2);
      expect(snapshot.config.providers[0]?.apiKey).toBe("gsk_your_key_here");
    } finally {
      await handle.close();
    }
  });
});
