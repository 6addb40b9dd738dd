import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const TEST_FILE = /\.test\.tsx?$/;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || TEST_FILE.test(entry.name)) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** What `next build` reads: the app's src and public, its top-level config files. */
function newestInput(adminDir: string): number {
  let newest = 0;
  for (const entry of readdirSync(adminDir, { withFileTypes: true })) {
    const path = join(adminDir, entry.name);
    if (entry.isFile() && !entry.name.startsWith(".")) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    } else if (entry.isDirectory() && (entry.name === "src" || entry.name === "public")) {
      newest = Math.max(newest, newestMtime(path));
    }
  }
  return newest;
}

/**
 * Why the admin needs `next build` before `next start`, or null when its build is current:
 * no build yet, or a source of the admin or of a workspace package it bundles is newer.
 */
export function adminBuildReason(repoRoot: string, adminDir: string): string | null {
  const buildId = join(adminDir, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return "no production build yet";
  const built = statSync(buildId).mtimeMs;
  const packages = join(repoRoot, "packages");
  const packageSources = readdirSync(packages)
    .map((name) => join(packages, name, "src"))
    .filter((dir) => existsSync(dir));
  const newest = Math.max(newestInput(adminDir), ...packageSources.map(newestMtime));
  return newest > built ? "sources changed since the last build" : null;
}
