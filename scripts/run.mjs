// Entry point of `npm start` / `npm test` on a machine that has only Node and npm: makes sure
// pnpm and the workspace's dependencies are installed, then runs the named workspace script.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const PNPM = "pnpm@10.34.9";
const script = process.argv[2];
if (!script) {
  console.error("usage: node scripts/run.mjs <workspace-script>");
  process.exit(2);
}

function hasPnpm() {
  try {
    return execFileSync("pnpm", ["--version"], { encoding: "utf8" }).startsWith("10.");
  } catch {
    return false;
  }
}

if (!hasPnpm()) {
  console.log(`installing ${PNPM} (npm i -g)`);
  execFileSync("npm", ["install", "--global", PNPM], { stdio: "inherit" });
}

const marker = join(root, "node_modules", ".modules.yaml");
const lock = join(root, "pnpm-lock.yaml");
if (!existsSync(marker) || statSync(lock).mtimeMs > statSync(marker).mtimeMs) {
  execFileSync("pnpm", ["install", "--frozen-lockfile"], { cwd: root, stdio: "inherit" });
}

const child = spawn("pnpm", ["run", script, ...process.argv.slice(3)], {
  cwd: root,
  stdio: "inherit",
});
// Ctrl-C reaches the child through the terminal's process group; just mirror its exit.
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
