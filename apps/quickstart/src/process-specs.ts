import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ChildSpec } from "./child-process";

// This file lives at apps/quickstart/src, three levels below the repo root (the bundle keeps
// that: scripts/build-app.mjs rewrites import.meta.url to this file's).
export const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
export const ADMIN_DIR = join(REPO_ROOT, "apps/admin");

/**
 * node running the app's build, which scripts/run.mjs makes (or remakes when stale) before it
 * starts the launcher: no wrapper, no loader, so its pid is the one that serves.
 */
function builtApp(app: "gateway" | "worker", env: NodeJS.ProcessEnv): ChildSpec {
  const main = join(REPO_ROOT, "apps", app, "dist/main.mjs");
  return { name: app, command: process.execPath, args: [main], cwd: REPO_ROOT, env };
}

export function gatewaySpec(env: NodeJS.ProcessEnv): ChildSpec {
  return builtApp("gateway", env);
}

export function workerSpec(env: NodeJS.ProcessEnv): ChildSpec {
  return builtApp("worker", env);
}

// `node -e <script> a b` sees a and b as process.argv[1] and [2].
const INITDB_SCRIPT =
  "require(process.argv[1]).PGlite.create(process.argv[2]).then((db) => db.close())";

/**
 * PGlite's initdb on an empty data directory, in a node process of its own (PGlite's CommonJS
 * entry, resolved from this app's dependencies).
 */
export function embeddedInitdbSpec(dataDir: string, env: NodeJS.ProcessEnv): ChildSpec {
  const pglite = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  return {
    name: "embedded database setup",
    command: process.execPath,
    args: ["-e", INITDB_SCRIPT, pglite, dataDir],
    cwd: REPO_ROOT,
    env,
  };
}

function nextBin(): string {
  return createRequire(join(ADMIN_DIR, "package.json")).resolve("next/dist/bin/next");
}

/** `next build`, what the admin's own build script runs, by node itself (no pnpm needed). */
export function adminBuildSpec(env: NodeJS.ProcessEnv): ChildSpec {
  return {
    name: "admin build",
    command: process.execPath,
    args: [nextBin(), "build"],
    cwd: ADMIN_DIR,
    env,
  };
}

/**
 * `next start` run by node itself, without pnpm and sh around it (about 100 MB less), and
 * bound to loopback like the gateway.
 */
export function adminStartSpec(env: NodeJS.ProcessEnv, port: number): ChildSpec {
  return {
    name: "admin",
    command: process.execPath,
    args: [nextBin(), "start", "--port", String(port), "--hostname", "127.0.0.1"],
    cwd: ADMIN_DIR,
    env,
  };
}
