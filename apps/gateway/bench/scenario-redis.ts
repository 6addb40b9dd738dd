import { Pool } from "undici";
import { CHAINS, gatewayTarget, type Target } from "./bench-config";
import type { ScenarioResult } from "./bench-types";
import { fmtNum } from "./format";
import { type GatewayChild, startGatewayChild } from "./gateway-child";
import { ROUND_TRIPS_METRIC, scrapeCounter } from "./gateway-metrics";
import { readCommandCalls } from "./redis-commandstats";

const REQUESTS = 500;
const WARMUP_REQUESTS = 20;
const CONCURRENCY = 4;

interface ChainRun {
  ok: number;
  avgAttempts: number;
  /** Round trips per request from the gateway's counter, null when not exposed. */
  roundTrips: number | null;
  scripts: number;
  scriptUsec: number;
  allCommands: number;
}

async function send(pool: Pool, target: Target, total: number) {
  const body = target.body(false);
  let ok = 0;
  let attempts = 0;
  let started = 0;
  const worker = async () => {
    while (started < total) {
      started++;
      const res = await pool.request({
        method: "POST",
        path: target.path,
        headers: target.headers,
        body,
      });
      await res.body.arrayBuffer();
      if (res.statusCode === 200) ok++;
      attempts += Number(res.headers["x-429chain-attempts"] ?? 0);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { ok, avgAttempts: attempts / total };
}

/** What one /metrics scrape costs in round trips (live gauges may read the store). */
async function scrapeCost(url: string): Promise<number> {
  const a = await scrapeCounter(url, ROUND_TRIPS_METRIC);
  const b = await scrapeCounter(url, ROUND_TRIPS_METRIC);
  return a === null || b === null ? 0 : b - a;
}

async function measureChain(gw: GatewayChild, chain: string): Promise<ChainRun> {
  const pool = new Pool(gw.url, { connections: CONCURRENCY, pipelining: 1 });
  try {
    const target = gatewayTarget(gw.url, chain);
    await send(pool, target, WARMUP_REQUESTS);
    const cost = await scrapeCost(gw.url);
    const before = await scrapeCounter(gw.url, ROUND_TRIPS_METRIC);
    const statsBefore = await readCommandCalls();
    const { ok, avgAttempts } = await send(pool, target, REQUESTS);
    const statsAfter = await readCommandCalls();
    const after = await scrapeCounter(gw.url, ROUND_TRIPS_METRIC);
    const roundTrips =
      before === null || after === null ? null : (after - before - cost) / REQUESTS;
    return {
      ok,
      avgAttempts,
      roundTrips,
      scripts: (statsAfter.scripts - statsBefore.scripts) / REQUESTS,
      scriptUsec: (statsAfter.scriptUsec - statsBefore.scriptUsec) / REQUESTS,
      // One INFO call of our own sits inside the window.
      allCommands: (statsAfter.all - statsBefore.all - 1) / REQUESTS,
    };
  } finally {
    await pool.close();
  }
}

const rt = (v: number | null) => (v === null ? "n/a" : v.toFixed(2));

/** Redis round trips per successful request and per waterfall hop. */
export async function runRedis(upstreamUrl: string): Promise<ScenarioResult> {
  const gw = await startGatewayChild("redis", upstreamUrl);
  try {
    const single = await measureChain(gw, CHAINS.fast);
    const hop = await measureChain(gw, CHAINS.hop);
    const perHop =
      single.roundTrips === null || hop.roundTrips === null
        ? null
        : hop.roundTrips - single.roundTrips;
    const row = (label: string, r: ChainRun) => [
      label,
      `${r.ok} / ${REQUESTS}`,
      fmtNum(r.avgAttempts, 2),
      rt(r.roundTrips),
      fmtNum(r.scripts, 2),
      fmtNum(r.scriptUsec, 0),
      fmtNum(r.allCommands, 1),
    ];
    const missing = single.roundTrips === null;
    return {
      name: "redis",
      tables: [
        {
          title: `redis: ${REQUESTS} non-streaming requests per chain, ${CONCURRENCY} concurrent (per-request figures)`,
          headers: [
            "chain",
            "ok",
            "attempts",
            "round trips",
            "evalsha (INFO)",
            "script us",
            "all cmds (INFO)",
          ],
          rows: [
            row("fast (1 entry)", single),
            row("hop (500 then ok)", hop),
            [
              "per waterfall hop (hop - fast)",
              "",
              "",
              rt(perHop),
              fmtNum(hop.scripts - single.scripts, 2),
              fmtNum(hop.scriptUsec - single.scriptUsec, 0),
              "",
            ],
          ],
        },
      ],
      summary: [
        { figure: "redis: round trips per request", value: rt(single.roundTrips), target: "<= 2" },
        { figure: "redis: round trips per waterfall hop", value: rt(perHop), target: "-" },
      ],
      figures: {
        roundTripsPerRequest: single.roundTrips,
        roundTripsPerHop: perHop,
        scriptCallsPerRequest: single.scripts,
        scriptCallsPerHopRequest: hop.scripts,
        scriptUsecPerRequest: single.scriptUsec,
        allCommandsPerRequest: single.allCommands,
        avgAttemptsHop: hop.avgAttempts,
      },
      notes: [
        missing
          ? `${ROUND_TRIPS_METRIC} is not on /metrics yet: round trips printed as n/a.`
          : "Round trips = delta of the gateway counter, minus what a /metrics scrape costs.",
        "INFO commandstats is server-wide (other clients add noise); evalsha counts EVAL too, " +
          "'script us' is Redis server time per request in scripts, 'all cmds' counts the " +
          "commands run inside Lua scripts as well, so it is not a round-trip count.",
      ],
    };
  } finally {
    await gw.stop();
  }
}
