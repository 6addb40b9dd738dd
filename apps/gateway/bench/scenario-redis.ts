import { setTimeout as sleep } from "node:timers/promises";
import { startRedisServer, TEST_REDIS_CLUSTER_URL } from "@429chain/testing";
import { Pool } from "undici";
import { gatewayTarget } from "./bench-config";
import type { ScenarioResult, SummaryRow, Table } from "./bench-types";
import { fmtNum } from "./format";
import { type GatewayChild, startGatewayChild } from "./gateway-child";
import { ROUND_TRIPS_METRIC, scrapeCounter } from "./gateway-metrics";
import { buildRedisBenchConfig, coolDownProviders, REDIS_CHAINS } from "./redis-bench-config";
import { counterDelta, type RedisCounters, readRedisCounters } from "./redis-commandstats";

const REQUESTS = 2_000;
const WARMUP_REQUESTS = 50;
const CONCURRENCY = 4;
/** How long Redis is watched with the gateway up and no traffic (background cost). */
const IDLE_MS = 2_000;

interface ChainRun {
  label: string;
  ok: number;
  avgAttempts: number;
  /** Quota-store calls per request from the gateways' counter; null when not exposed. */
  storeCalls: number | null;
  /** Per request, from INFO (see RedisCounters). */
  redis: RedisCounters;
  /** Redis CPU per request with the idle background taken out, microseconds. */
  cpuUs: number;
}

async function send(pools: Pool[], gatewayUrls: string[], chain: string, total: number) {
  const targets = gatewayUrls.map((url) => gatewayTarget(url, chain));
  const body = targets[0]!.body(false);
  let ok = 0;
  let attempts = 0;
  let started = 0;
  const worker = async () => {
    while (started < total) {
      const i = started++ % pools.length;
      const target = targets[i]!;
      const res = await pools[i]!.request({
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

/** The gateways' quota-store call counters, summed; null when not exposed. */
async function storeCalls(gws: GatewayChild[]): Promise<number | null> {
  let total = 0;
  for (const gw of gws) {
    const value = await scrapeCounter(gw.url, ROUND_TRIPS_METRIC);
    if (value === null) return null;
    total += value;
  }
  return total;
}

/** What scraping /metrics of every gateway once costs in store calls (live gauges read it). */
async function scrapeCost(gws: GatewayChild[]): Promise<number> {
  const a = await storeCalls(gws);
  const b = await storeCalls(gws);
  return a === null || b === null ? 0 : b - a;
}

async function measureChain(
  gws: GatewayChild[],
  redisUrl: string,
  label: string,
  chain: string,
  idleCpuPerMs: number,
): Promise<ChainRun> {
  const urls = gws.map((g) => g.url);
  const pools = urls.map((url) => new Pool(url, { connections: CONCURRENCY, pipelining: 1 }));
  try {
    await send(pools, urls, chain, WARMUP_REQUESTS);
    const cost = await scrapeCost(gws);
    const callsBefore = await storeCalls(gws);
    const before = await readRedisCounters(redisUrl);
    const startedAt = performance.now();
    const { ok, avgAttempts } = await send(pools, urls, chain, REQUESTS);
    const elapsedMs = performance.now() - startedAt;
    const delta = counterDelta(before, await readRedisCounters(redisUrl));
    const callsAfter = await storeCalls(gws);
    const perRequest = (n: number) => n / REQUESTS;
    return {
      label,
      ok,
      avgAttempts,
      storeCalls:
        callsBefore === null || callsAfter === null
          ? null
          : perRequest(callsAfter - callsBefore - cost),
      redis: {
        scripts: perRequest(delta.scripts),
        scriptUsec: perRequest(delta.scriptUsec),
        // Our own INFO calls (one per server) sit inside the window.
        all: perRequest(delta.all - delta.servers),
        allUsec: perRequest(delta.allUsec),
        cpuSeconds: perRequest(delta.cpuSeconds),
        servers: delta.servers,
      },
      cpuUs: Math.max(0, perRequest(delta.cpuSeconds * 1e6 - idleCpuPerMs * elapsedMs)),
    };
  } finally {
    await Promise.all(pools.map((p) => p.close()));
  }
}

interface DeploymentRun {
  name: string;
  servers: number;
  runs: ChainRun[];
  /** With the gateway up and no traffic: Redis CPU (ms per second) and commands per second. */
  idle: { cpuMsPerSecond: number; commandsPerSecond: number };
}

/** Every chain on one deployment, then the fast chain through two replicas. */
async function measureDeployment(
  name: string,
  redisUrl: string,
  upstreamUrl: string,
): Promise<DeploymentRun> {
  const config = buildRedisBenchConfig(upstreamUrl);
  const env = { REQUEST_LOGS: "off" };
  const gw = await startGatewayChild("redis", upstreamUrl, "file", { redisUrl, config, env });
  try {
    await coolDownProviders(redisUrl, gw.redisPrefix);
    const idleBefore = await readRedisCounters(redisUrl);
    await sleep(IDLE_MS);
    const idle = counterDelta(idleBefore, await readRedisCounters(redisUrl));
    // Microseconds of CPU per millisecond: also milliseconds per second.
    const idleCpuPerMs = (idle.cpuSeconds * 1e6) / IDLE_MS;
    const runs: ChainRun[] = [];
    const chains: [string, string][] = [
      ["fast (1 entry)", REDIS_CHAINS.fast],
      ["hop (500, then ok)", REDIS_CHAINS.hop],
      ["1 provider skipped", REDIS_CHAINS.skip1],
      ["3 providers skipped", REDIS_CHAINS.skip3],
      ["3 entries of 1 provider skipped", REDIS_CHAINS.skip3Same],
    ];
    for (const [label, chain] of chains) {
      runs.push(await measureChain([gw], redisUrl, label, chain, idleCpuPerMs));
    }
    const second = await startGatewayChild("redis-2", upstreamUrl, "file", {
      redisUrl,
      config,
      env,
      redisPrefix: gw.redisPrefix,
    });
    try {
      runs.push(
        await measureChain(
          [gw, second],
          redisUrl,
          "fast, 2 replicas",
          REDIS_CHAINS.fast,
          idleCpuPerMs,
        ),
      );
    } finally {
      await second.stop();
    }
    return {
      name,
      servers: idle.servers,
      runs,
      idle: {
        cpuMsPerSecond: idleCpuPerMs,
        commandsPerSecond: ((idle.all - idle.servers) * 1_000) / IDLE_MS,
      },
    };
  } finally {
    await gw.stop();
  }
}

const perCore = (us: number) => (us > 0 ? 1e6 / us : null);

function table(d: DeploymentRun): Table {
  return {
    title:
      `redis on ${d.name}: ${REQUESTS} non-streaming requests per chain, ${CONCURRENCY} ` +
      "concurrent, request logs off (per-request figures; CPU summed over the servers)",
    headers: [
      "chain",
      "ok",
      "attempts",
      "store calls",
      "scripts",
      "Lua us",
      "cmds",
      "cmd us",
      "Redis CPU us",
      "req/s per core",
      "req/s per core (Lua only)",
    ],
    rows: d.runs.map((r) => [
      r.label,
      `${r.ok} / ${REQUESTS}`,
      fmtNum(r.avgAttempts, 2),
      r.storeCalls === null ? "n/a" : r.storeCalls.toFixed(2),
      fmtNum(r.redis.scripts, 2),
      fmtNum(r.redis.scriptUsec, 1),
      fmtNum(r.redis.all, 1),
      fmtNum(r.redis.allUsec, 1),
      fmtNum(r.cpuUs, 1),
      fmtNum(perCore(r.cpuUs), 0),
      fmtNum(perCore(r.redis.scriptUsec), 0),
    ]),
  };
}

function figuresOf(key: string, d: DeploymentRun): Record<string, number | null> {
  const out: Record<string, number | null> = {
    [`${key}Servers`]: d.servers,
    [`${key}IdleCpuMsPerSecond`]: d.idle.cpuMsPerSecond,
    [`${key}IdleCommandsPerSecond`]: d.idle.commandsPerSecond,
  };
  for (const [i, r] of d.runs.entries()) {
    out[`${key}.${i}.storeCalls`] = r.storeCalls;
    out[`${key}.${i}.scripts`] = r.redis.scripts;
    out[`${key}.${i}.luaUs`] = r.redis.scriptUsec;
    out[`${key}.${i}.commands`] = r.redis.all;
    out[`${key}.${i}.commandUs`] = r.redis.allUsec;
    out[`${key}.${i}.cpuUs`] = r.cpuUs;
    out[`${key}.${i}.requestsPerCore`] = perCore(r.cpuUs);
  }
  return out;
}

function summaryOf(label: string, d: DeploymentRun): SummaryRow[] {
  const fast = d.runs[0]!;
  return [
    {
      figure: `redis (${label}): round trips per request`,
      value: fast.storeCalls === null ? "n/a" : fast.storeCalls.toFixed(2),
      target: "<= 2",
    },
    {
      figure: `redis (${label}): Lua us per request`,
      value: fmtNum(fast.redis.scriptUsec, 1),
      target: "-",
    },
    {
      figure: `redis (${label}): requests/s per Redis core`,
      value: `${fmtNum(perCore(fast.cpuUs), 0)} (Lua only: ${fmtNum(perCore(fast.redis.scriptUsec), 0)})`,
      target: "-",
    },
  ];
}

/**
 * Redis cost per request on one Redis (a server of the scenario's own, so nothing else adds to
 * its counters) and on the 3-master test cluster: round trips, scripts, Lua time, all commands,
 * Redis CPU, and the requests per second one Redis core carries at that cost.
 */
export async function runRedis(upstreamUrl: string): Promise<ScenarioResult> {
  const server = await startRedisServer();
  let single: DeploymentRun;
  try {
    single = await measureDeployment("one Redis", server.url, upstreamUrl);
  } finally {
    await server.stop();
  }
  const cluster = await measureDeployment(
    "a 3-master Redis Cluster",
    TEST_REDIS_CLUSTER_URL,
    upstreamUrl,
  );
  return {
    name: "redis",
    tables: [table(single), table(cluster)],
    summary: [...summaryOf("one Redis", single), ...summaryOf("cluster", cluster)],
    figures: { ...figuresOf("single", single), ...figuresOf("cluster", cluster) },
    notes: [
      "store calls: the gateways' quota-store calls (a settle riding on the next pick is one); " +
        "on one Redis each is one round trip. On a cluster an acquire sends one script per " +
        "provider it tries, one after the other: scripts above 2 on a cluster are extra trips.",
      "Lua us and cmd us: server time from INFO commandstats (EVALSHA/EVAL; all commands); " +
        "Redis CPU: INFO cpu (user + system, I/O included), the idle background " +
        `(one Redis: ${fmtNum(single.idle.cpuMsPerSecond, 2)} ms/s, cluster: ` +
        `${fmtNum(cluster.idle.cpuMsPerSecond, 2)} ms/s) taken out. req/s per core = 1 s / ` +
        "CPU per request; from Lua time alone it is an upper bound.",
      `With the gateway up and idle, Redis ran ${fmtNum(single.idle.commandsPerSecond, 1)} ` +
        `(one Redis) and ${fmtNum(cluster.idle.commandsPerSecond, 1)} (cluster) commands/s.`,
    ],
  };
}
