import { type ChildProcess, spawn } from "node:child_process";
import { freePort, TEST_REDIS_URL, waitFor } from "@429chain/testing";
import { REPO_ROOT, tsxLoaderUrl, WORKER_SCRIPT } from "./paths";

export interface WorkerChild {
  /** The node process running apps/worker/src/main.ts itself (no wrapper). */
  pid: number;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 20_000;
const KILL_AFTER_MS = 10_000;

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("close", () => resolve()));
}

/** The real worker (default settings) draining `keyPrefix`'s queue into `databaseUrl`. */
export async function startWorkerChild(
  databaseUrl: string,
  keyPrefix: string,
): Promise<WorkerChild> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", tsxLoaderUrl(), WORKER_SCRIPT], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: keyPrefix,
      WORKER_PORT: String(port),
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk.toString("utf8");
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exit = exited(child);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), KILL_AFTER_MS);
    await exit;
    clearTimeout(timer);
  };
  const early = new AbortController();
  void exit.then(() => early.abort(new Error(`worker exited early (code ${child.exitCode})`)));
  try {
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health`)).status === 200, {
      timeoutMs: READY_TIMEOUT_MS,
      description: "worker /health",
      signal: early.signal,
    });
  } catch (err) {
    await stop();
    throw new Error(`worker did not start: ${(err as Error).message}\n${output.slice(-2_000)}`);
  }
  if (child.pid === undefined) throw new Error("worker process has no pid");
  return { pid: child.pid, stop };
}
