// Entry point of `npm start` / `npm test` on a machine that has only Node and npm: makes sure
// pnpm and the workspace's dependencies are installed, then runs the named workspace script.
import { execFileSync, spawn, spawnSync } from "node:child_process";
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

function pnpmVersion(cmd) {
  const r = spawnSync(cmd[0], [...cmd.slice(1), "--version"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : "";
}

/** pnpm 10 on PATH, else a global install, else through npx (no global write access). */
function findPnpm() {
  if (pnpmVersion(["pnpm"]).startsWith("10.")) return ["pnpm"];
  console.log(`installing ${PNPM} (npm install --global)`);
  const installed = spawnSync("npm", ["install", "--global", PNPM], { stdio: "inherit" });
  if (installed.status === 0 && pnpmVersion(["pnpm"]).startsWith("10.")) return ["pnpm"];
  console.log(`no global install possible; using npx ${PNPM}`);
  return ["npx", "--yes", PNPM];
}

const pnpm = findPnpm();
const run = (args, opts) => [pnpm[0], [...pnpm.slice(1), ...args], { cwd: root, ...opts }];

const marker = join(root, "node_modules", ".modules.yaml");
const lock = join(root, "pnpm-lock.yaml");
if (!existsSync(marker) || statSync(lock).mtimeMs > statSync(marker).mtimeMs) {
  execFileSync(...run(["install", "--frozen-lockfile"], { stdio: "inherit" }));
}

const child = spawn(...run(["run", script, ...process.argv.slice(3)], { stdio: "inherit" }));
// Ctrl-C reaches the child through the terminal's process group; just mirror its exit.
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
