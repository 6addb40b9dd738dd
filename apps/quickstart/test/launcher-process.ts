import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { waitFor } from "@429chain/testing";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const RUN = fileURLToPath(new URL("../../../scripts/run.mjs", import.meta.url));
const KILL_AFTER_MS = 30_000;

export interface LauncherProcess {
  pid: number;
  /** Resolves with the exit code once the process and its output have ended. */
  exited: Promise<number | null>;
  output(): string;
  /** The pid the launcher reported for a child, e.g. "gateway". */
  childPid(name: string): number;
  /** Sends the signal, SIGKILL after 30 s; resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Stops the launcher and kills what it started, however it ended: for test cleanup. */
  dispose(): Promise<void>;
}

/**
 * Runs what `npm start` runs, `node scripts/run.mjs quickstart`: it builds the launcher, gateway
 * and worker when their builds are missing or stale, then runs the launcher in its own process.
 */
export function spawnLauncher(env: Record<string, string>): LauncherProcess {
  const child: ChildProcess = spawn(process.execPath, [RUN, "quickstart"], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const append = (chunk: Buffer) => {
    output += chunk.toString("utf8");
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
  return {
    pid: child.pid ?? -1,
    exited,
    output: () => output,
    childPid(name) {
      const match = output.match(new RegExp(`started ${name} \\(pid (\\d+)\\)`));
      if (!match) throw new Error(`the launcher did not report a ${name} pid:\n${output}`);
      return Number(match[1]);
    },
    stop,
    async dispose() {
      await stop("SIGINT");
      for (const match of output.matchAll(/started .+? \(pid (\d+)\)/g)) {
        if (groupAlive(Number(match[1]))) process.kill(-Number(match[1]), "SIGKILL");
      }
    },
  };

  async function stop(signal: NodeJS.Signals = "SIGINT"): Promise<number | null> {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), KILL_AFTER_MS);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }
}

/**
 * Waits for the ready banner's last line (the banner is several writes, so "ready in" alone
 * can arrive before the login line); fails with the output when the launcher exits first.
 */
export async function waitUntilReady(launcher: LauncherProcess): Promise<void> {
  const exitedEarly = new AbortController();
  launcher.exited.then((code) => exitedEarly.abort(new Error(`launcher exited with ${code}`)));
  try {
    await waitFor(() => /\[quickstart\] Ctrl-C stops everything\./.test(launcher.output()), {
      timeoutMs: 90_000,
      intervalMs: 100,
      description: "the launcher's ready banner",
      signal: exitedEarly.signal,
    });
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- output ---\n${launcher.output()}`);
  }
}

/** True while any process of the group led by pid exists. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}
