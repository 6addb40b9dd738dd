import { mkdir, writeFile } from "node:fs/promises";
import { loadavg } from "node:os";
import { join } from "node:path";
import type { ScenarioResult, Table } from "./bench-types";
import { renderTable } from "./format";
import { dropLogVolume } from "./log-volume";
import { describeMachine } from "./machine-info";
import { GATEWAY_BUILD, REPO_ROOT, RESULTS_DIR } from "./paths";
import { runDb } from "./scenario-db";
import { runDrain } from "./scenario-drain";
import { runFloor } from "./scenario-floor";
import { runFreeday } from "./scenario-freeday";
import { runLatency } from "./scenario-latency";
import { runLogging } from "./scenario-logging";
import { runRedis } from "./scenario-redis";
import { runStats } from "./scenario-stats";
import { runStorage } from "./scenario-storage";
import { runStreams } from "./scenario-streams";
import { runSurfaces } from "./scenario-surfaces";
import { runThroughput } from "./scenario-throughput";
import { runTtfb } from "./scenario-ttfb";
import { startUpstreamChild } from "./upstream-child";

const SCENARIOS: Record<string, (upstreamUrl: string) => Promise<ScenarioResult>> = {
  floor: runFloor,
  latency: runLatency,
  throughput: runThroughput,
  ttfb: runTtfb,
  streams: runStreams,
  surfaces: runSurfaces,
  redis: runRedis,
  db: runDb,
  drain: runDrain,
  logging: runLogging,
  stats: runStats,
  storage: runStorage,
  freeday: runFreeday,
};

function selectScenarios(argv: string[]): string[] {
  const names = argv.filter((a) => a !== "--");
  if (names.length === 0) return Object.keys(SCENARIOS);
  const unknown = names.filter((n) => !(n in SCENARIOS));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown scenario: ${unknown.join(", ")}\nusage: pnpm bench [${Object.keys(SCENARIOS).join("|")}]...\n`,
    );
    process.exit(2);
  }
  return names;
}

function print(text = ""): void {
  process.stdout.write(`${text}\n`);
}

async function main(): Promise<void> {
  const selected = selectScenarios(process.argv.slice(2));
  const machine = describeMachine();
  const startedAt = new Date();
  print(`429chain gateway benchmarks — ${startedAt.toISOString()}`);
  print(
    `node ${machine.node}, ${machine.cores} cores (${machine.cpu}), ${machine.memoryGb} GB, ulimit -n ${machine.openFilesLimit}`,
  );
  print(
    `Processes: load generator (this process, or autocannon), gateway and mock upstream run as ` +
      `three separate processes sharing ${machine.cores} cores, so figures include CPU contention.`,
  );
  // The gateway runs from its build, as in production (no tsx loader).
  const { ensureBuilt } = await import("../../../scripts/build-app.mjs");
  const built = await ensureBuilt([
    { appDir: join(REPO_ROOT, "apps/gateway"), entry: "src/main.ts", outfile: "dist/main.mjs" },
  ]);
  print(`gateway: ${GATEWAY_BUILD}${built.length > 0 ? " (built now)" : ""}`);
  const upstream = await startUpstreamChild();
  print(`mock upstream (pid ${upstream.pid}) at ${upstream.url}\n`);
  const results: ScenarioResult[] = [];
  const failed: { name: string; error: string }[] = [];
  try {
    for (const name of selected) {
      const run = SCENARIOS[name];
      if (!run) continue;
      const load = loadavg().map((l) => l.toFixed(2));
      print(`== ${name} == (load average before: ${load.join(" ")})`);
      try {
        const result = await run(upstream.url);
        results.push(result);
        for (const table of result.tables) print(`${renderTable(table)}\n`);
        for (const note of result.notes) print(`note: ${note}`);
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        failed.push({ name, error });
        print(`scenario ${name} did not run: ${error}`);
      }
      print();
    }
  } finally {
    await dropLogVolume();
    await upstream.stop();
  }
  const summary: Table = {
    title: "== summary ==",
    headers: ["figure", "measured", "target"],
    rows: results.flatMap((r) => r.summary.map((s) => [s.figure, s.value, s.target])),
  };
  for (const f of failed) summary.rows.push([`${f.name}: did not run`, "error", "-"]);
  print(renderTable(summary));
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${startedAt.toISOString().replace(/[:.]/g, "-")}.json`);
  await writeFile(file, `${JSON.stringify({ startedAt, machine, results, failed }, null, 2)}\n`);
  print(`\nresults written to ${file}`);
  if (failed.length > 0) process.exitCode = 1;
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
