import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { freePort } from "./free-port";
import { waitFor } from "./wait-for";

// This file lives at packages/testing/src, three levels below the repo root.
const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const READY_TIMEOUT_MS = 20_000;
const KILL_AFTER_MS = 10_000;

export interface AppProcessOptions {
  /** The app's entry file: TypeScript source (run through tsx) or a build (.mjs). */
  entry: string;
  env: Record<string, string>;
  /** Default: the repo root. */
  cwd?: string;
  /** The variable the entry reads its listen port from (default PORT). */
  portEnv?: string;
  /** The path answering 200 once it is ready (default /ready). */
  readyPath?: string;
}

export interface AppProcess {
  url: string;
  port: number;
  pid: number;
  /** Sends the signal (SIGTERM by default), SIGKILL after 10 s; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
}

// Resolved from the repo root so the loader is found whatever the child's cwd is.
function tsxLoaderUrl(): string {
  const require = createRequire(new URL("package.json", pathToFileURL(REPO_ROOT)));
  return pathToFileURL(require.resolve("tsx")).href;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  // "close" rather than "exit": it fires after stdout/stderr end, so the output is complete.
  return new Promise((resolve) => child.once("close", (code) => resolve(code)));
}

async function isReady(url: string): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(1_000) });
  await res.body?.cancel();
  return res.status === 200;
}

/**
 * Spawns an app's entry (node, with the tsx loader for source) on a free port and waits until
 * its ready path answers 200. Each app's tests name their own entry.
 */
export async function startAppProcess(options: AppProcessOptions): Promise<AppProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const { entry } = options;
  const child = spawn(
    process.execPath,
    // A build (.mjs) runs on node alone, as in production; sources through the tsx loader.
    entry.endsWith(".mjs") ? [entry] : ["--import", tsxLoaderUrl(), entry],
    {
      cwd: options.cwd ?? REPO_ROOT,
      env: {
        ...process.env,
        ...options.env,
        [options.portEnv ?? "PORT"]: String(port),
        HOST: "127.0.0.1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const exit = exited(child);

  async function stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), KILL_AFTER_MS);
    const code = await exit;
    clearTimeout(timer);
    return code;
  }

  const earlyExit = new AbortController();
  exit.then(() =>
    earlyExit.abort(
      new Error(`process exited early (code ${child.exitCode}, signal ${child.signalCode})`),
    ),
  );
  const readyUrl = `${url}${options.readyPath ?? "/ready"}`;
  try {
    await waitFor(() => isReady(readyUrl), {
      timeoutMs: READY_TIMEOUT_MS,
      description: `GET ${readyUrl}`,
      signal: earlyExit.signal,
    });
  } catch (err) {
    await stop("SIGKILL");
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`${entry} did not become ready: ${reason}\n--- output ---\n${output}`);
  }
  if (child.pid === undefined) throw new Error(`${entry}: the process has no pid`);
  return { url, port, pid: child.pid, stop, output: () => output };
}
