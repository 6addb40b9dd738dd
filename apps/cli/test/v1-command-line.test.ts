import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { freePort, waitFor } from "@429chain/testing";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "429chain-v1-"));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const EXAMPLE = fileURLToPath(new URL("../../../config/config.example.yaml", import.meta.url));

describe("429chain v1's command line", () => {
  it("--init writes the example config and never overwrites one", async () => {
    const cwd = tempDir();
    const first = await runCli(["--init"], { env: {}, cwd });
    expect(first.code).toBe(0);
    expect(readFileSync(join(cwd, "config/config.yaml"), "utf8")).toBe(
      readFileSync(EXAMPLE, "utf8"),
    );
    const second = await runCli(["--init"], { env: {}, cwd });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/already exists; not overwriting/);
  });

  it("rejects an unknown flag with v1's usage", async () => {
    const result = await runCli(["--bogus"], { env: {} });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/usage: 429chain \[--config/);
  });

  it("-c and -p start the gateway on that config and port; SIGTERM stops it cleanly", async () => {
    const dir = tempDir();
    const config = join(dir, "my.yaml");
    writeFileSync(
      config,
      [
        "version: 1",
        "settings: { apiKeys: [sk-v1], defaultChain: c }",
        "providers: [{ id: p, name: P, type: generic-openai, apiKey: x, baseUrl: 'http://127.0.0.1:9/v1' }]",
        "chains: [{ name: c, entries: [{ provider: p, model: m }] }]",
      ].join("\n"),
    );
    const port = await freePort();
    const cli = fileURLToPath(new URL("../src/main.ts", import.meta.url));
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
    const child = spawn(
      process.execPath,
      ["--import", tsx, cli, "-c", config, "-p", String(port)],
      {
        env: { PATH: process.env.PATH ?? "", LOG_LEVEL: "warn" },
        stdio: "ignore",
      },
    );
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    try {
      await waitFor(
        async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => null))?.ok === true,
        { timeoutMs: 20_000 },
      );
      const models = await fetch(`http://127.0.0.1:${port}/v1/models`, {
        headers: { authorization: "Bearer sk-v1" },
      });
      expect(((await models.json()) as { data: Array<{ id: string }> }).data[0]?.id).toBe("c");
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  });
});
