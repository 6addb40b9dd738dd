import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { freePort, waitFor } from "@429chain/testing";
import { ADMIN_DIR, DIST_ENV } from "./build-admin";

const run = promisify(execFile);

/** Held exclusively to build apps/admin/.next-e2e and shared while serving it. */
const BUILD_LOCK = "/tmp/admin-e2e-build.lock";
const BUILD_SCRIPT = fileURLToPath(new URL("./build-admin.ts", import.meta.url));
const NEXT_BIN = join(ADMIN_DIR, "node_modules/next/dist/bin/next");
const READY_TIMEOUT_MS = 60_000;

function tsxLoaderUrl(): string {
  const require = createRequire(join(ADMIN_DIR, "package.json"));
  return pathToFileURL(require.resolve("tsx")).href;
}

/** `next build` unless .next is newer than every source; serialised with other builders. */
export async function ensureAdminBuild(): Promise<void> {
  await run("flock", [BUILD_LOCK, process.execPath, "--import", tsxLoaderUrl(), BUILD_SCRIPT], {
    cwd: ADMIN_DIR,
    maxBuffer: 64 * 1024 * 1024,
  });
}

export interface AdminServer {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * `next start` on a free port. It runs under a shared hold of the build lock, so nobody
 * rebuilds .next underneath it; the hold ends with the process.
 */
export async function startAdminServer(env: Record<string, string>): Promise<AdminServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    "flock",
    ["-s", BUILD_LOCK, process.execPath, NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      cwd: ADMIN_DIR,
      env: {
        ...process.env,
        ...env,
        ...DIST_ENV,
        PORT: String(port),
        NEXT_TELEMETRY_DISABLED: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group: stop() signals flock and the server together.
      detached: true,
    },
  );
  let output = "";
  const append = (chunk: Buffer) => {
    output += chunk.toString("utf8");
  };
  child.stdout?.on("data", append);
  child.stderr?.on("data", append);
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const pid = child.pid;
  if (pid === undefined) throw new Error("next start did not spawn");

  async function stop(): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    process.kill(-pid!, "SIGTERM");
    const timer = setTimeout(() => process.kill(-pid!, "SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  }

  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode})`);
        const res = await fetch(`${url}/login`, { signal: AbortSignal.timeout(5_000) });
        await res.body?.cancel();
        return res.status === 200;
      },
      { timeoutMs: READY_TIMEOUT_MS, intervalMs: 200, description: `GET ${url}/login` },
    );
  } catch (err) {
    await stop();
    throw new Error(`admin server did not start: ${(err as Error).message}\n${output}`);
  }
  return { url, output: () => output, stop };
}
