import { type ChildProcess, spawn } from "node:child_process";
import { waitFor } from "@429chain/testing";

const KILL_AFTER_MS = 10_000;

export interface ChildOptions {
  /** Names the process in error messages. */
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
  /** Resolves to true once the process serves; polled until readyTimeoutMs. */
  isReady: () => Promise<boolean>;
  readyTimeoutMs?: number;
}

export interface Child {
  pid: number;
  /** Signals the whole process group (SIGTERM by default), SIGKILL after 10 s; resolves on exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  output(): string;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("close", () => resolve()));
}

/**
 * Spawns a long-running process in its own process group (`next start` and nginx start
 * children of their own) and waits until it answers.
 */
export async function startChild(options: ChildOptions): Promise<Child> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const append = (chunk: Buffer) => {
    output += chunk.toString("utf8");
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  child.on("error", (err) => append(Buffer.from(`spawn failed: ${err.message}\n`)));
  const exit = exited(child);
  const pid = child.pid;

  const signalGroup = (signal: NodeJS.Signals) => {
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone.
    }
  };

  async function stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    if (child.exitCode === null && child.signalCode === null) signalGroup(signal);
    const timer = setTimeout(() => signalGroup("SIGKILL"), KILL_AFTER_MS);
    await exit;
    clearTimeout(timer);
    // Children of the leader (nginx workers, next-server) may outlive it for a moment.
    signalGroup("SIGKILL");
  }

  const earlyExit = new AbortController();
  exit.then(() =>
    earlyExit.abort(new Error(`exited early (code ${child.exitCode}, signal ${child.signalCode})`)),
  );
  try {
    await waitFor(options.isReady, {
      timeoutMs: options.readyTimeoutMs ?? 30_000,
      intervalMs: 100,
      description: `${options.name} ready`,
      signal: earlyExit.signal,
    });
  } catch (err) {
    await stop("SIGKILL");
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`${options.name} did not start: ${reason}\n--- output ---\n${output}`);
  }
  if (pid === undefined) throw new Error(`${options.name} has no pid`);
  return { pid, stop, output: () => output };
}

/** True when GET url answers with the given status. */
export async function answers(url: string, status = 200): Promise<boolean> {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000), redirect: "manual" });
  await res.body?.cancel();
  return res.status === status;
}
