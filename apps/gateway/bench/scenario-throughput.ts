import { spawn } from "node:child_process";
import { CHAINS, directTarget, gatewayTarget, type Target } from "./bench-config";
import type { ScenarioResult } from "./bench-types";
import { fmtMs, fmtNum } from "./format";
import { startGatewayChild } from "./gateway-child";
import { MOCK } from "./mock-routes";
import { autocannonBin } from "./paths";
import { readCpuMs } from "./proc-cpu";

const CONNECTIONS = 50;
const WARMUP_S = 2;
const DURATION_S = 10;
const KILL_AFTER_MS = (DURATION_S + 30) * 1000;

export interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}

/** autocannon in its own process, so the load generator never shares a loop with the bench. */
function autocannon(target: Target, durationS: number): Promise<CannonResult> {
  const args = [autocannonBin(), "--json", "-c", String(CONNECTIONS), "-d", String(durationS)];
  args.push("-m", "POST", "-b", target.body(false));
  for (const [name, value] of Object.entries(target.headers)) args.push("-H", `${name}=${value}`);
  args.push(`${target.origin}${target.path}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    const timer = setTimeout(() => child.kill("SIGKILL"), KILL_AFTER_MS);
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString("utf8");
    });
    child.stderr.on("data", (c: Buffer) => {
      err += c.toString("utf8");
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out) as CannonResult);
      } catch {
        reject(new Error(`autocannon failed (exit ${code}): ${err.slice(0, 500)}`));
      }
    });
  });
}

/** Saturation throughput of one target: a warm-up, then the measured run (autocannon). */
export async function measureThroughput(target: Target): Promise<CannonResult> {
  await autocannon(target, WARMUP_S);
  return autocannon(target, DURATION_S);
}

function row(label: string, r: CannonResult): string[] {
  return [
    label,
    fmtNum(r.requests.average, 0),
    fmtNum(r.requests.total),
    fmtMs(r.latency.p50, 0),
    fmtMs(r.latency.p99, 0),
    fmtNum(r.errors + r.timeouts),
    fmtNum(r.non2xx),
  ];
}

/** Max non-streaming throughput with autocannon, direct and through the gateway. */
export async function runThroughput(upstreamUrl: string): Promise<ScenarioResult> {
  const gw = await startGatewayChild("throughput", upstreamUrl);
  try {
    const direct = await measureThroughput(directTarget(upstreamUrl, MOCK.fast));
    await autocannon(gatewayTarget(gw.url, CHAINS.fast), WARMUP_S);
    const cpuBefore = readCpuMs(gw.pid);
    const via = await autocannon(gatewayTarget(gw.url, CHAINS.fast), DURATION_S);
    const cpuAfter = readCpuMs(gw.pid);
    const cpuPerReq =
      cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / via.requests.total;
    const cpuShare =
      cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / (DURATION_S * 10);
    const ratio = via.requests.average / direct.requests.average;
    return {
      name: "throughput",
      tables: [
        {
          title: `throughput: autocannon -c ${CONNECTIONS} -d ${DURATION_S} (after a ${WARMUP_S} s warm-up), non-streaming`,
          headers: ["target", "req/s", "total", "p50", "p99", "errors", "non-2xx"],
          rows: [
            row("direct (mock)", direct),
            row("gateway", via),
            ["gateway / direct", `${fmtNum(ratio * 100, 1)} %`, "", "", "", "", ""],
            ["gateway CPU per request", fmtMs(cpuPerReq), "", "", "", "", ""],
            ["gateway CPU busy", `${fmtNum(cpuShare, 0)} % of a core`, "", "", "", "", ""],
          ],
        },
      ],
      summary: [
        {
          figure: "throughput: gateway req/s (ratio to direct)",
          value: `${fmtNum(via.requests.average)} (${fmtNum(ratio * 100, 1)} %)`,
          target: "-",
        },
      ],
      figures: {
        directReqPerSec: direct.requests.average,
        gatewayReqPerSec: via.requests.average,
        ratio,
        gatewayCpuMsPerRequest: cpuPerReq,
        gatewayCpuPercent: cpuShare,
        directErrors: direct.errors + direct.timeouts + direct.non2xx,
        gatewayErrors: via.errors + via.timeouts + via.non2xx,
      },
      notes: [
        "autocannon, the gateway and the mock share 2 cores, so 'direct' is bounded by the mock " +
          "and 'gateway' by three busy processes; the ratio understates a dedicated deployment.",
      ],
    };
  } finally {
    await gw.stop();
  }
}
