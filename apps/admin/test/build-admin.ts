/**
 * Runs `next build` into apps/admin/.next-e2e (the tests' own build directory, see distDir in
 * next.config.ts) when its BUILD_ID is missing or older than any source the build reads (the
 * admin's own files and the workspace packages it transpiles). Run it under the build lock
 * (ensureAdminBuild does): test files and the figures script may build at the same time.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ADMIN_DIR = fileURLToPath(new URL("../", import.meta.url));
/** next.config.ts reads it: the tests never serve .next, which others rebuild at will. */
export const DIST_ENV = { ADMIN_DIST_DIR: ".next-e2e" };
export const DIST_DIR = join(ADMIN_DIR, DIST_ENV.ADMIN_DIST_DIR);
const REPO_ROOT = join(ADMIN_DIR, "../..");
const BUILD_ID = join(DIST_DIR, "BUILD_ID");
const SOURCES = [
  join(ADMIN_DIR, "src"),
  join(ADMIN_DIR, "next.config.ts"),
  join(ADMIN_DIR, "package.json"),
  join(ADMIN_DIR, "postcss.config.mjs"),
  ...["contracts", "db", "quota", "providers", "config"].map((p) =>
    join(REPO_ROOT, "packages", p, "src"),
  ),
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) {
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

/** Why a build is needed, or null when .next is up to date. */
export function staleReason(): string | null {
  if (!existsSync(BUILD_ID)) return "no production build yet";
  const built = statSync(BUILD_ID).mtimeMs;
  const newest = Math.max(...SOURCES.map(newestMtime));
  return newest > built ? "sources changed since the last build" : null;
}

function main(): void {
  const reason = staleReason();
  if (reason === null) return;
  process.stderr.write(`admin: next build (${reason})\n`);
  const next = join(ADMIN_DIR, "node_modules/next/dist/bin/next");
  const result = spawnSync(process.execPath, [next, "build"], {
    cwd: ADMIN_DIR,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, ...DIST_ENV, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) {
    process.stderr.write(`admin: next build failed (exit ${result.status})\n`);
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
