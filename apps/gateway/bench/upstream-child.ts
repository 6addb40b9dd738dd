import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { BARE_PROXY_SCRIPT, REPO_ROOT, tsxLoaderUrl, UPSTREAM_SCRIPT } from "./paths";

export interface UpstreamChild {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;

/** Runs the fake upstream in its own process and waits for the URL it prints. */
export function startUpstreamChild(): Promise<UpstreamChild> {
  return startUrlChild(UPSTREAM_SCRIPT, {}, "mock upstream");
}

/** The bare pass-through proxy (the floor) in front of the mock's `prefix` routes. */
export function startBareProxy(upstreamUrl: string, prefix: string): Promise<UpstreamChild> {
  return startUrlChild(
    BARE_PROXY_SCRIPT,
    { UPSTREAM_URL: upstreamUrl, PATH_PREFIX: prefix },
    "bare proxy",
  );
}

/** A bench process that prints `{"url": …}` once listening and stops when stdin closes. */
async function startUrlChild(
  script: string,
  env: Record<string, string>,
  name: string,
): Promise<UpstreamChild> {
  const child = spawn(process.execPath, ["--import", tsxLoaderUrl(), script], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const exited = once(child, "exit");
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start`)), START_TIMEOUT_MS);
    lines.once("line", (line) => {
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once("exit", (code) => reject(new Error(`${name} exited early (${code})`)));
  });
  if (child.pid === undefined) throw new Error(`${name} has no pid`);
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
