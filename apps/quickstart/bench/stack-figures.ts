/**
 * Issue 14's figures for `npm start`, printed (never asserted): the resident memory summed over
 * the whole process tree of `npm start` once the stack is ready (npm, the launcher and every
 * process it started: wrappers, PGlite's host, gateway, worker, admin), and the time from
 * `npm start` to the ready banner, on a fresh data directory (first run: builds what is
 * missing, creates the database) and again on the same directory (warm start).
 *
 * Warm starts are repeated (BENCH_WARM_RUNS, default 3) and their median reported: a shared
 * machine's load moves a single figure by seconds. The CPU time each process used until ready
 * shows what an idle machine would take.
 *
 * Run: pnpm --filter @429chain/quickstart bench
 * BENCH_QUICKSTART_ADMIN=off leaves the admin out; BENCH_SETTLE_MS (default 5000) is how long
 * after ready the second sample is taken.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, waitFor } from "@429chain/testing";
import { type ProcessRss, processTree, totalRssMb } from "./process-tree";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const READY_LINE = "[quickstart] Ctrl-C stops everything.";
// A first run may build the admin console (`next build`): minutes on a small machine.
const READY_TIMEOUT_MS = 15 * 60_000;
const SETTLE_MS = Number(process.env.BENCH_SETTLE_MS ?? 5_000);
const WARM_RUNS = Number(process.env.BENCH_WARM_RUNS ?? 3);

interface Run {
  readyMs: number;
  /** The launcher's own "ready in" figure: from its start, after npm and run.mjs. */
  launcherReady: string;
  atReady: ProcessRss[];
  settled: ProcessRss[];
}

const print = (line = "") => process.stdout.write(`${line}\n`);
const mb = (n: number) => `${n.toFixed(0)} MB`;

/** What a process of the tree is, from its command line (first matching rule). */
function role(command: string): string {
  const rules: Array<[RegExp, string]> = [
    [/^sh -c|^\/bin\/sh/, "sh"],
    [/esbuild.*--service/, "esbuild service"],
    [/tsx\/dist\/cli/, "tsx cli"],
    [/apps\/quickstart/, "quickstart"],
    [/apps\/gateway/, "gateway"],
    [/apps\/worker/, "worker"],
    [/scripts\/run\.mjs/, "run.mjs + quickstart"],
    [/next/, "admin (next)"],
    [/\/pnpm |pnpm\.c?js/, "pnpm"],
    [/^npm/, "npm"],
  ];
  return rules.find(([re]) => re.test(command))?.[1] ?? "?";
}

/** The command line without the repository's path and pnpm's store paths. */
function shortCommand(command: string): string {
  const short = command
    .replaceAll(REPO_ROOT, "")
    .replace(/\S*node_modules\/\.pnpm\/[^/]+\/node_modules\//g, "…/")
    .replace(/file:\/\/\S*\/(tsx\/dist\/\S+)/g, "$1");
  return short.length > 90 ? `${short.slice(0, 89)}…` : short;
}

async function startOnce(env: NodeJS.ProcessEnv, label: string): Promise<Run> {
  const startedAt = performance.now();
  // Its own process group, as in a terminal: SIGINT to the group is Ctrl-C.
  const npm: ChildProcess = spawn("npm", ["start"], {
    cwd: REPO_ROOT,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  npm.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  npm.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const exited = new Promise<void>((resolve) => npm.once("close", () => resolve()));
  const gone = new AbortController();
  exited.then(() => gone.abort(new Error(`npm start exited before ready:\n${output}`)));
  try {
    await waitFor(() => output.includes(READY_LINE), {
      timeoutMs: READY_TIMEOUT_MS,
      intervalMs: 20,
      description: `${label}: the ready banner`,
      signal: gone.signal,
    });
    const readyMs = performance.now() - startedAt;
    const atReady = processTree(npm.pid ?? -1);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const launcherReady = /ready in ([\d.]+ s)/.exec(output)?.[1] ?? "?";
    return { readyMs, launcherReady, atReady, settled: processTree(npm.pid ?? -1) };
  } finally {
    if (npm.pid && npm.exitCode === null) process.kill(-npm.pid, "SIGINT");
    await exited;
  }
}

function printTree(run: Run): void {
  const ready = new Map(run.atReady.map((p) => [p.pid, p]));
  print("| process | pid | parent | CPU until ready | RSS at ready | RSS settled | command |");
  print("| --- | --- | --- | --- | --- | --- | --- |");
  for (const p of run.settled) {
    const atReady = ready.get(p.pid);
    const cpu = atReady ? `${atReady.cpuMs} ms` : "";
    print(
      `| ${role(p.command)} | ${p.pid} | ${p.parent ?? ""} | ${cpu} | ${atReady ? mb(atReady.rssMb) : ""} | ${mb(p.rssMb)} | \`${shortCommand(p.command)}\` |`,
    );
  }
  const cpuTotal = run.atReady.reduce((sum, p) => sum + p.cpuMs, 0);
  print(
    `| **total** | | | ${cpuTotal} ms | ${mb(totalRssMb(run.atReady))} | ${mb(totalRssMb(run.settled))} | |`,
  );
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "429chain-stack-bench-"));
  // Without the npm_* variables `pnpm bench` sets: `npm start` runs as from a shell.
  const shell = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith("npm_")),
  );
  const env: NodeJS.ProcessEnv = {
    ...shell,
    DATA_DIR: join(dir, "data"),
    GATEWAY_PORT: String(await freePort()),
    ADMIN_PORT: String(await freePort()),
    QUICKSTART_ADMIN: process.env.BENCH_QUICKSTART_ADMIN ?? "on",
  };
  try {
    print(
      `npm start process tree — ${new Date().toISOString()}, settled = ready + ${SETTLE_MS} ms`,
    );
    const first = await startOnce(env, "first run");
    const warmRuns: Run[] = [];
    for (let i = 0; i < WARM_RUNS; i++) warmRuns.push(await startOnce(env, `warm start ${i + 1}`));
    const byTime = [...warmRuns].sort((a, b) => a.readyMs - b.readyMs);
    const warm = byTime[Math.floor(byTime.length / 2)] ?? first;
    print();
    print(`first run (fresh data directory): ready after ${seconds(first.readyMs)}`);
    print(
      `warm start (same data directory): ready after ${seconds(warm.readyMs)} (median of ${warmRuns.map((r) => `${seconds(r.readyMs)} [launcher ${r.launcherReady}]`).join(", ")})`,
    );
    print();
    print("first run, every process of the tree:");
    printTree(first);
    print();
    print("median warm start, every process of the tree:");
    printTree(warm);
    print();
    print(
      `total RSS: first run ${mb(totalRssMb(first.atReady))} at ready, ${mb(totalRssMb(first.settled))} settled; warm start ${mb(totalRssMb(warm.atReady))} at ready, ${mb(totalRssMb(warm.settled))} settled`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
