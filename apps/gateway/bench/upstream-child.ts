import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { REPO_ROOT, tsxLoaderUrl, UPSTREAM_SCRIPT } from "./paths";

export interface UpstreamChild {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;

/** Runs the fake upstream in its own process and waits for the URL it prints. */
export async function startUpstreamChild(): Promise<UpstreamChild> {
  const child = spawn(process.execPath, ["--import", tsxLoaderUrl(), UPSTREAM_SCRIPT], {
    cwd: REPO_ROOT,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, "exit");
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error("mock upstream did not start")),
      START_TIMEOUT_MS,
    );
    lines.once("line", (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once("exit", (code) => reject(new Error(`mock upstream exited early (${code})`)));
  });
  if (child.pid === undefined) throw new Error("mock upstream has no pid");
  return {
    url,
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}
