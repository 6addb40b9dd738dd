import { Pool } from "undici";
import { CHAINS, directTarget, gatewayTarget, type Target } from "./bench-config";
import type { ScenarioResult } from "./bench-types";
import { fmtMs, fmtNum, fmtSigned } from "./format";
import { startGatewayChild } from "./gateway-child";
import { ROUND_TRIPS_METRIC, scrapeCounter } from "./gateway-metrics";
import { MOCK } from "./mock-routes";
import { readCpuMs } from "./proc-cpu";
import { measure as measureOpenLoop } from "./scenario-latency";
import { measureThroughput } from "./scenario-throughput";
import { summarize } from "./stats";
import { startBareProxy } from "./upstream-child";

const SEQUENTIAL = { warmup: 300, requests: 2_000 };
const TTFB_LEVELS = [1, 20] as const;
const TTFB_REQUESTS = { 1: 600, 20: 2_000 } as const;

/** The bare proxy, addressed like the gateway (it maps /v1/… onto the mock's prefix). */
function proxyTarget(proxyUrl: string): Target {
  return { ...gatewayTarget(proxyUrl, CHAINS.fast), label: "gateway" };
}

/** Closed loop, `concurrency` workers: each request's time, or its time to the first byte. */
async function closedLoop(
  target: Target,
  opts: { requests: number; warmup: number; concurrency: number; stream: boolean },
): Promise<number[]> {
  const pool = new Pool(target.origin, { connections: opts.concurrency, pipelining: 1 });
  const times: number[] = [];
  let started = 0;
  const body = target.body(opts.stream);
  const worker = async () => {
    while (started < opts.warmup + opts.requests) {
      const index = started++;
      const t0 = performance.now();
      const res = await pool.request({
        method: "POST",
        path: target.path,
        headers: target.headers,
        body,
      });
      let first: number | null = null;
      for await (const _chunk of res.body) first ??= performance.now() - t0;
      const total = performance.now() - t0;
      if (res.statusCode === 200 && index >= opts.warmup) {
        times.push(opts.stream ? (first ?? total) : total);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: opts.concurrency }, worker));
  } finally {
    await pool.close();
  }
  return times;
}

async function cpuPerRequest(pid: number, target: Target) {
  const before = readCpuMs(pid);
  const run = await measureThroughput(target);
  const after = readCpuMs(pid);
  const cpu = before === null || after === null ? null : (after - before) / run.requests.total;
  return { rps: run.requests.average, cpu };
}

/**
 * The gateway against the floor of its platform, in one run: a bare Node pass-through proxy
 * (node:http in, undici out, no parsing) in front of the same mock. The gateway runs as
 * deployed: Redis state, key check, request logging on.
 */
export async function runFloor(upstreamUrl: string): Promise<ScenarioResult> {
  const gw = await startGatewayChild("floor", upstreamUrl);
  const proxy = await startBareProxy(upstreamUrl, MOCK.fast);
  const proxyStream = await startBareProxy(upstreamUrl, MOCK.short);
  try {
    const direct = directTarget(upstreamUrl, MOCK.fast);
    const bare = proxyTarget(proxy.url);
    const via = gatewayTarget(gw.url, CHAINS.fast);
    const seq = { ...SEQUENTIAL, concurrency: 1, stream: false };
    const p50 = async (t: Target) => summarize(await closedLoop(t, seq)).p50;
    const directP50 = await p50(direct);
    const bareAdded = (await p50(bare)) - directP50;
    const roundTripsBefore = (await scrapeCounter(gw.url, ROUND_TRIPS_METRIC)) ?? 0;
    const gwAdded = (await p50(via)) - directP50;
    const roundTrips =
      (((await scrapeCounter(gw.url, ROUND_TRIPS_METRIC)) ?? 0) - roundTripsBefore) /
      (SEQUENTIAL.warmup + SEQUENTIAL.requests);

    const openDirect = await measureOpenLoop(direct, gw.pid);
    const openVia = await measureOpenLoop(via, gw.pid);
    const addedP99 = openVia.dist.p99 - openDirect.dist.p99;

    const bareSat = await cpuPerRequest(proxy.pid, bare);
    const gwSat = await cpuPerRequest(gw.pid, via);

    const ttfbRows: string[][] = [];
    const ttfbFigures: Record<string, number> = {};
    for (const concurrency of TTFB_LEVELS) {
      const opts = { requests: TTFB_REQUESTS[concurrency], warmup: 200, concurrency, stream: true };
      const d = summarize(await closedLoop(directTarget(upstreamUrl, MOCK.short), opts)).p50;
      const b = summarize(await closedLoop(proxyTarget(proxyStream.url), opts)).p50;
      const g = summarize(await closedLoop(gatewayTarget(gw.url, CHAINS.short), opts)).p50;
      ttfbRows.push([
        `streaming TTFB added p50, ${concurrency} concurrent`,
        fmtSigned(b - d),
        fmtSigned(g - d),
        "<= +0.5 ms",
      ]);
      ttfbFigures[`ttfbAddedP50c${concurrency}Ms`] = g - d;
      ttfbFigures[`bareTtfbAddedP50c${concurrency}Ms`] = b - d;
    }

    const throughputRatio = gwSat.rps / bareSat.rps;
    const cpuRatio = gwSat.cpu !== null && bareSat.cpu !== null ? gwSat.cpu / bareSat.cpu : null;
    const seqGap = gwAdded - bareAdded;
    return {
      name: "floor",
      tables: [
        {
          title:
            "floor: the gateway (Redis state, auth, logging on) against a bare Node pass-through proxy, same mock, same run",
          headers: ["figure", "bare proxy (floor)", "gateway", "target"],
          rows: [
            [
              "added sequential p50",
              fmtSigned(bareAdded),
              fmtSigned(gwAdded),
              `<= floor + 0.200 ms (gap ${fmtSigned(seqGap)})`,
            ],
            ["added p99 @500 req/s", "", fmtSigned(addedP99), "<= +3 ms"],
            [
              "max req/s, 50 connections",
              fmtNum(bareSat.rps, 0),
              fmtNum(gwSat.rps, 0),
              `>= 60% of floor (${fmtNum(throughputRatio * 100, 1)} %)`,
            ],
            [
              "CPU per request at saturation",
              fmtMs(bareSat.cpu),
              fmtMs(gwSat.cpu),
              `<= 1.6× floor (${fmtNum(cpuRatio, 2)}×)`,
            ],
            ...ttfbRows,
            ["Redis round trips per request", "0", fmtNum(roundTrips, 2), "<= 2"],
          ],
        },
      ],
      summary: [
        {
          figure: "floor: gateway throughput / bare proxy",
          value: `${fmtNum(throughputRatio * 100, 1)} %`,
          target: ">= 60 %",
        },
        {
          figure: "floor: added sequential p50 − floor's",
          value: fmtSigned(seqGap),
          target: "<= +0.200 ms",
        },
        { figure: "floor: added p99 @500 req/s", value: fmtSigned(addedP99), target: "<= +3 ms" },
        {
          figure: "floor: CPU per request / floor's",
          value: `${fmtNum(cpuRatio, 2)}×`,
          target: "<= 1.6×",
        },
        ...TTFB_LEVELS.map((c) => ({
          figure: `floor: streaming TTFB added p50, ${c} concurrent`,
          value: fmtSigned(ttfbFigures[`ttfbAddedP50c${c}Ms`]),
          target: "<= +0.5 ms",
        })),
        {
          figure: "floor: Redis round trips per request",
          value: fmtNum(roundTrips, 2),
          target: "<= 2",
        },
      ],
      figures: {
        directP50Ms: directP50,
        bareAddedP50Ms: bareAdded,
        gatewayAddedP50Ms: gwAdded,
        gatewayAddedP99At500Ms: addedP99,
        bareRps: bareSat.rps,
        gatewayRps: gwSat.rps,
        bareCpuMsPerRequest: bareSat.cpu,
        gatewayCpuMsPerRequest: gwSat.cpu,
        redisRoundTripsPerRequest: roundTrips,
        ...ttfbFigures,
      },
      notes: [
        "Sequential p50: one request at a time, 2,000 after 300 warm-up; added = p50 − the mock's own p50.",
        "The bare proxy parses nothing and keeps no state: it is the cost of one Node HTTP hop.",
        "CPU per request: user + system time of the proxy or gateway process during a 10 s autocannon run.",
        "The mock, the load generator and the process measured share the machine's cores.",
      ],
    };
  } finally {
    await proxy.stop();
    await proxyStream.stop();
    await gw.stop();
  }
}
