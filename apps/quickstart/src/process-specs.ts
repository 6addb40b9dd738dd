import { createRequire } from "node:module";
import { basename, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ChildSpec } from "./child-process";

// This file lives at apps/quickstart/src, three levels below the repo root.
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const ADMIN_DIR = join(REPO_ROOT, "apps/admin");

/** node with the tsx loader: one process, no wrapper, so its pid is the one that serves. */
function tsxApp(name: string, entry: string, env: NodeJS.ProcessEnv): ChildSpec {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  return {
    name,
    command: process.execPath,
    args: ["--import", tsx, join(REPO_ROOT, entry)],
    cwd: REPO_ROOT,
    env,
  };
}

export function gatewaySpec(env: NodeJS.ProcessEnv): ChildSpec {
  return tsxApp("gateway", "apps/gateway/src/main.ts", env);
}

export function workerSpec(env: NodeJS.ProcessEnv): ChildSpec {
  return tsxApp("worker", "apps/worker/src/main.ts", env);
}

/** The pnpm that runs this launcher when there is one (`pnpm run` sets npm_execpath). */
function pnpmCommand(execPath: string | undefined): { command: string; args: string[] } {
  if (!execPath || !basename(execPath).startsWith("pnpm")) return { command: "pnpm", args: [] };
  if (/\.[cm]?js$/.test(execPath)) return { command: process.execPath, args: [execPath] };
  return { command: execPath, args: [] };
}

/** `pnpm --filter @429chain/admin build`: the admin app's own build script. */
export function adminBuildSpec(
  env: NodeJS.ProcessEnv,
  pnpmExecPath: string | undefined,
): ChildSpec {
  const pnpm = pnpmCommand(pnpmExecPath);
  return {
    name: "admin build",
    command: pnpm.command,
    args: [...pnpm.args, "--filter", "@429chain/admin", "build"],
    cwd: REPO_ROOT,
    env,
  };
}

/**
 * `next start` run by node itself, without pnpm and sh around it (about 100 MB less), and
 * bound to loopback like the gateway.
 */
export function adminStartSpec(env: NodeJS.ProcessEnv, port: number): ChildSpec {
  const next = createRequire(join(ADMIN_DIR, "package.json")).resolve("next/dist/bin/next");
  return {
    name: "admin",
    command: process.execPath,
    args: [next, "start", "--port", String(port), "--hostname", "127.0.0.1"],
    cwd: ADMIN_DIR,
    env,
  };
}
