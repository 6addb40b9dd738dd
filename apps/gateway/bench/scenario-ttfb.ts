import { Pool } from "undici";
import { CHAINS, directTarget, gatewayTarget, type Target } from "./bench-config";
import type { ScenarioResult } from "./bench-types";
import { fmtMs, fmtNum, fmtSigned } from "./format";
import { startGatewayChild } from "./gateway-child";
import { MOCK } from "./mock-routes";
import { type Distribution, summarize } from "./stats";

const CONCURRENCY = 20;
const WARMUP_REQUESTS = 200;
const REQUESTS = 2_000;
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

/** CONCURRENCY workers, each sending the next request when its previous one ended. */
async function closedLoop(pool: Pool, target: Target, total: number): Promise<TtfbRun> {
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
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return { ttfb, errors };
}

async function measure(target: Target): Promise<{ run: TtfbRun; dist: Distribution }> {
  const pool = new Pool(target.origin, { connections: CONCURRENCY, pipelining: 1 });
  try {
    await closedLoop(pool, target, WARMUP_REQUESTS);
    const run = await closedLoop(pool, target, REQUESTS);
    return { run, dist: summarize(run.ttfb) };
  } finally {
    await pool.close();
  }
}

function row(label: string, m: { run: TtfbRun; dist: Distribution }): string[] {
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

/** Streaming time-to-first-byte added by the gateway. */
export async function runTtfb(upstreamUrl: string): Promise<ScenarioResult> {
  const gw = await startGatewayChild("ttfb", upstreamUrl);
  try {
    const direct = await measure(directTarget(upstreamUrl, MOCK.short));
    const via = await measure(gatewayTarget(gw.url, CHAINS.short));
    const addedP50 = via.dist.p50 - direct.dist.p50;
    const addedP99 = via.dist.p99 - direct.dist.p99;
    return {
      name: "ttfb",
      tables: [
        {
          title: `ttfb: streaming, ${CONCURRENCY} concurrent, ${REQUESTS} requests (after ${WARMUP_REQUESTS} warm-up), time to first body byte`,
          headers: ["target", "ok", "errors", "p50", "p90", "p99", "max"],
          rows: [row("direct (mock)", direct), row("gateway", via)],
        },
        {
          title: "ttfb: added by the gateway (gateway - direct)",
          headers: ["figure", "value", "target"],
          rows: [
            ["added p50", fmtSigned(addedP50), "<= 2 ms"],
            ["added p99", fmtSigned(addedP99), "-"],
          ],
        },
      ],
      summary: [
        { figure: "ttfb: added p50 (streaming)", value: fmtSigned(addedP50), target: "<= 2 ms" },
        { figure: "ttfb: added p99 (streaming)", value: fmtSigned(addedP99), target: "-" },
      ],
      figures: {
        directP50Ms: direct.dist.p50,
        directP99Ms: direct.dist.p99,
        directErrors: direct.run.errors,
        gatewayP50Ms: via.dist.p50,
        gatewayP99Ms: via.dist.p99,
        gatewayErrors: via.run.errors,
        addedP50Ms: addedP50,
        addedP99Ms: addedP99,
      },
      notes: [
        "The mock writes every frame of the short stream at once, the role chunk first; the " +
          "gateway forwards once the first content chunk arrived.",
      ],
    };
  } finally {
    await gw.stop();
  }
}
