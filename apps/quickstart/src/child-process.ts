import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { setTimeout as delay } from "node:timers/promises";

export interface ChildSpec {
  /** Prefixes every line the process writes, e.g. "gateway" → "[gateway] …". */
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (e.g. command not found). */
  error?: Error;
}

export interface Child {
  name: string;
  pid: number;
  /** Resolves when the direct child exits, whatever the reason. */
  exited: Promise<ChildExit>;
  /**
   * SIGTERM to the whole process group, SIGKILL to what is left after `timeoutMs`; resolves
   * once no process of the group is left.
   */
  stop(timeoutMs: number): Promise<void>;
}

// After SIGKILL a process is gone within milliseconds; a group still "alive" after this long
// holds only zombies whose parent never reaps them.
const AFTER_KILL_MS = 3_000;

/**
 * Starts the command as the leader of its own process group, so wrappers (pnpm, sh, tsx) and
 * the node process they start are signalled together and none is left behind; and so a Ctrl-C
 * in the terminal reaches only the launcher, which stops the children in order.
 */
export function startChild(spec: ChildSpec, write: (line: string) => void): Child {
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<ChildExit>((resolve) => {
    child.once("error", (error) => resolve({ code: null, signal: null, error }));
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  for (const stream of [child.stdout, child.stderr] as Readable[]) {
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on("line", (line) =>
      write(`[${spec.name}] ${line}`),
    );
  }
  const pid = child.pid ?? -1;

  async function stop(timeoutMs: number): Promise<void> {
    if (pid < 0) return;
    signalGroup(pid, "SIGTERM");
    if (await groupGone(pid, timeoutMs)) return;
    write(`[quickstart] ${spec.name} did not stop within ${timeoutMs} ms; killing it`);
    signalGroup(pid, "SIGKILL");
    await groupGone(pid, AFTER_KILL_MS);
  }
  return { name: spec.name, pid, exited, stop };
}

function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** True once no process of the group exists (signal 0 probes without signalling). */
async function groupGone(pgid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (signalGroup(pgid, 0)) {
    if (Date.now() >= deadline) return false;
    await delay(50);
  }
  return true;
}
