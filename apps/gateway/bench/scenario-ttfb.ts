import { Pool } from "undici";
import { CHAINS, directTarget, gatewayTarget, type Target } from "./bench-config";
import type { ScenarioResult } from "./bench-types";
import { fmtMs, fmtNum, fmtSigned } from "./format";
import { startGatewayChild } from "./gateway-child";
import { MOCK } from "./mock-routes";
import { type Distribution, summarize } from "./stats";

/** Concurrency and request count per level; 1 shows the gateway's own cost without queueing. */
const LEVELS = [
  { concurrency: 1, requests: 500 },
  { concurrency: 20, requests: 2_000 },
] as const;
const WARMUP_REQUESTS = 200;
const REQUEST_TIMEOUT_MS = 10_000;

interface TtfbRun {
  ttfb: number[];
  errors: number;
}

/** Time from dispatch to the first body byte of one streamed request; null when it failed. */
async function timeFirstByte(pool: Pool, target: Target, body: string): Promise<number | null> {
  const t0 = performance.now();
  const res = await pool.request({
    method: "POST",
    path: target.path,
    headers: target.headers,
    body,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  let first: number | null = null;
  let text = "";
  for await (const chunk of res.body) {
    if (first === null) first = performance.now() - t0;
    text += (chunk as Buffer).toString("utf8");
  }
  return res.statusCode === 200 && text.includes("[DONE]") ? first : null;
}

/** `concurrency` workers, each sending the next request when its previous one ended. */
async function closedLoop(
  pool: Pool,
  target: Target,
  total: number,
  concurrency: number,
): Promise<TtfbRun> {
  const body = target.body(true);
  const ttfb: number[] = [];
  let errors = 0;
  let started = 0;
  const worker = async () => {
    while (started < total) {
      started++;
      const value = await timeFirstByte(pool, target, body).catch(() => null);
      if (value === null) errors++;
      else ttfb.push(value);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { ttfb, errors };
}

interface Measured {
  run: TtfbRun;
  dist: Distribution;
}

async function measure(target: Target, concurrency: number, requests: number): Promise<Measured> {
  const pool = new Pool(target.origin, { connections: concurrency, pipelining: 1 });
  try {
    await closedLoop(pool, target, WARMUP_REQUESTS, concurrency);
    const run = await closedLoop(pool, target, requests, concurrency);
    return { run, dist: summarize(run.ttfb) };
  } finally {
    await pool.close();
  }
}

function row(label: string, m: Measured): string[] {
  return [
    label,
    fmtNum(m.dist.count),
    fmtNum(m.run.errors),
    fmtMs(m.dist.p50),
    fmtMs(m.dist.p90),
    fmtMs(m.dist.p99),
    fmtMs(m.dist.max),
  ];
}

/** Streaming time-to-first-byte added by the gateway, alone and with 20 in flight. */
export async function runTtfb(upstreamUrl: string): Promise<ScenarioResult> {
  const gw = await startGatewayChild("ttfb", upstreamUrl);
  const result: ScenarioResult = { name: "ttfb", tables: [], summary: [], figures: {}, notes: [] };
  try {
    for (const { concurrency, requests } of LEVELS) {
      const direct = await measure(directTarget(upstreamUrl, MOCK.short), concurrency, requests);
      const via = await measure(gatewayTarget(gw.url, CHAINS.short), concurrency, requests);
      const addedP50 = via.dist.p50 - direct.dist.p50;
      const addedP99 = via.dist.p99 - direct.dist.p99;
      result.tables.push({
        title: `ttfb: streaming, ${concurrency} concurrent, ${requests} requests (after ${WARMUP_REQUESTS} warm-up), time to first body byte`,
        headers: ["target", "ok", "errors", "p50", "p90", "p99", "max"],
        rows: [
          row("direct (mock)", direct),
          row("gateway", via),
          ["added (gateway - direct)", "", "", fmtSigned(addedP50), "", fmtSigned(addedP99), ""],
        ],
      });
      result.summary.push(
        {
          figure: `ttfb: added p50, ${concurrency} concurrent`,
          value: fmtSigned(addedP50),
          target: "<= 2 ms",
        },
        {
          figure: `ttfb: added p99, ${concurrency} concurrent`,
          value: fmtSigned(addedP99),
          target: "-",
        },
      );
      Object.assign(result.figures, {
        [`c${concurrency}DirectP50Ms`]: direct.dist.p50,
        [`c${concurrency}DirectP99Ms`]: direct.dist.p99,
        [`c${concurrency}GatewayP50Ms`]: via.dist.p50,
        [`c${concurrency}GatewayP99Ms`]: via.dist.p99,
        [`c${concurrency}AddedP50Ms`]: addedP50,
        [`c${concurrency}AddedP99Ms`]: addedP99,
        [`c${concurrency}Errors`]: direct.run.errors + via.run.errors,
      });
    }
    result.notes.push(
      "The mock writes every frame of the short stream at once, the role chunk first; the " +
        "gateway forwards once the first content chunk arrived. At 20 concurrent the added " +
        "time includes queueing behind other requests on the gateway's single thread.",
    );
    return result;
  } finally {
    await gw.stop();
  }
}
