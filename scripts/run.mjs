// Entry point of `npm start` / `npm test` on a machine that has only Node and npm: makes sure
// pnpm and the workspace's dependencies are installed, then runs the named workspace script.
// `quickstart` is run in this process from its build instead: no pnpm, sh or tsx process
// stays around it (npm start's whole process tree must fit in 500 MB).
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

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

// Looked for only when needed: `pnpm --version` alone takes most of a second.
let pnpm;
const run = (args, opts) => {
  pnpm ??= findPnpm();
  return [pnpm[0], [...pnpm.slice(1), ...args], { cwd: root, ...opts }];
};

const marker = join(root, "node_modules", ".modules.yaml");
const lock = join(root, "pnpm-lock.yaml");
if (!existsSync(marker) || statSync(lock).mtimeMs > statSync(marker).mtimeMs) {
  execFileSync(...run(["install", "--frozen-lockfile"], { stdio: "inherit" }));
}

if (script === "quickstart") {
  // The launcher and the two apps it starts, built when missing or older than their sources;
  // then the launcher's own signal handling takes over this process.
  const { ensureBuilt } = await import("./build-app.mjs");
  const app = (name) => ({
    appDir: join(root, "apps", name),
    entry: "src/main.ts",
    outfile: "dist/main.mjs",
  });
  await ensureBuilt([app("quickstart"), app("gateway"), app("worker")], (line) =>
    console.log(`[quickstart] ${line}`),
  );
  await import(pathToFileURL(join(root, "apps/quickstart/dist/main.mjs")).href);
} else {
  runScript();
}

function runScript() {
  // Its own process group: pnpm, sh and tsx do not all pass a signal on (pnpm dies of SIGTERM
  // and leaves the script running), so a signal goes to every process of the group, as a
  // terminal's Ctrl-C would.
  const child = spawn(
    ...run(["run", script, ...process.argv.slice(3)], { stdio: "inherit", detached: true }),
  );
  const groupAlive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  let signalled = false;
  for (const sig of ["SIGINT", "SIGTERM"]) {
    process.on(sig, () => {
      signalled = true;
      if (groupAlive()) process.kill(-child.pid, sig);
    });
  }
  // When signalled, pnpm may exit before the script has finished stopping: wait for the whole
  // group (bounded) so the prompt comes back after the script's last line.
  child.on("exit", (code, signal) => {
    const deadline = signalled ? Date.now() + 60_000 : 0;
    const timer = setInterval(() => {
      if (groupAlive() && Date.now() < deadline) return;
      clearInterval(timer);
      process.exit(code ?? (signal ? 1 : 0));
    }, 100);
  });
}
