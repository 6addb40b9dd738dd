import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const CLI_MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
// Resolved from this package so the child finds the loader whatever its cwd.
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunCliOptions {
  /** The child's whole environment besides PATH: nothing leaks in from the test's. */
  env: Record<string, string | undefined>;
  stdin?: string;
  cwd?: string;
}

/** Runs `429chain <args>` as its own process, like an operator would. */
export function runCli(args: readonly string[], options: RunCliOptions): Promise<CliResult> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "" };
  for (const [name, value] of Object.entries(options.env)) {
    if (value !== undefined) env[name] = value;
  }
  const child = spawn(process.execPath, ["--import", TSX_LOADER, CLI_MAIN, ...args], {
    cwd: options.cwd,
    env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  child.stdin.end(options.stdin ?? "");
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    // "close" fires after both streams end, so the output is complete.
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}
