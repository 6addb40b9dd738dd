import { setTimeout as delay } from "node:timers/promises";
import { readProcessName, readRssMb } from "@429chain/testing";
import { Pool } from "undici";
import { CHAINS, gatewayTarget, type Target } from "./bench-config";
import type { ScenarioResult } from "./bench-types";
import { fmtNum } from "./format";
import { startGatewayChild } from "./gateway-child";
import { LONG_STREAM_FRAME_DELAY_MS, LONG_STREAM_TEXTS } from "./mock-routes";

const STREAMS = 1_000;
const STREAM_TIMEOUT_MS = 55_000;
const SAMPLE_EVERY_MS = 1_000;
const SETTLE_MS = 2_000;
const RSS_TARGET_MB = 300;

type StreamOutcome = "ok" | "no-done" | "bad-status" | "error";

async function runStream(pool: Pool, target: Target, body: string): Promise<StreamOutcome> {
  try {
    const res = await pool.request({
      method: "POST",
      path: target.path,
      headers: target.headers,
      body,
      signal: AbortSignal.timeout(STREAM_TIMEOUT_MS),
    });
    let tail = "";
    for await (const chunk of res.body)
      tail = (tail + (chunk as Buffer).toString("utf8")).slice(-256);
    if (res.statusCode !== 200) return "bad-status";
    return /data: \[DONE\]\s*$/.test(tail) ? "ok" : "no-done";
  } catch {
    return "error";
  }
}

/** Samples a process's RSS every second until stopped; remembers the peak. */
function sampleRss(pid: number) {
  const samples: number[] = [];
  const timer = setInterval(() => {
    const mb = readRssMb(pid);
    if (mb !== null) samples.push(mb);
  }, SAMPLE_EVERY_MS);
  return {
    samples,
    stop: () => clearInterval(timer),
  };
}

/** 1,000 concurrent long streams through one gateway; RSS of the gateway process. */
export async function runStreams(upstreamUrl: string): Promise<ScenarioResult> {
  const gw = await startGatewayChild("streams", upstreamUrl);
  const pool = new Pool(gw.url, {
    connections: STREAMS + 100,
    pipelining: 1,
    headersTimeout: STREAM_TIMEOUT_MS,
    bodyTimeout: STREAM_TIMEOUT_MS,
  });
  try {
    await delay(SETTLE_MS);
    const rssBefore = readRssMb(gw.pid);
    const target = gatewayTarget(gw.url, CHAINS.long);
    const body = target.body(true);
    const sampler = sampleRss(gw.pid);
    const t0 = performance.now();
    const outcomes = await Promise.all(
      Array.from({ length: STREAMS }, () => runStream(pool, target, body)),
    );
    const wallS = (performance.now() - t0) / 1000;
    sampler.stop();
    await delay(SETTLE_MS);
    const rssFinal = readRssMb(gw.pid);
    const peak = Math.max(...sampler.samples, rssBefore ?? 0, rssFinal ?? 0);
    const count = (o: StreamOutcome) => outcomes.filter((x) => x === o).length;
    const failures = STREAMS - count("ok");
    const mb = (v: number | null) => (v === null ? "n/a" : `${v.toFixed(1)} MB`);
    const streamS = ((LONG_STREAM_TEXTS + 2) * LONG_STREAM_FRAME_DELAY_MS) / 1000;
    return {
      name: "streams",
      tables: [
        {
          title: `streams: ${STREAMS} concurrent streams of ${LONG_STREAM_TEXTS + 3} frames ${LONG_STREAM_FRAME_DELAY_MS} ms apart (~${streamS} s each)`,
          headers: ["figure", "value", "target"],
          rows: [
            ["gateway RSS before load", mb(rssBefore), "-"],
            ["gateway RSS peak", mb(peak), `< ${RSS_TARGET_MB} MB`],
            ["gateway RSS final (2 s after)", mb(rssFinal), "-"],
            ["RSS samples (1/s)", fmtNum(sampler.samples.length), "-"],
            ["completed with [DONE]", `${count("ok")} / ${STREAMS}`, `${STREAMS} / ${STREAMS}`],
            ["failures: no [DONE]", fmtNum(count("no-done")), "0"],
            ["failures: non-200", fmtNum(count("bad-status")), "0"],
            ["failures: transport error", fmtNum(count("error")), "0"],
            ["wall time", `${wallS.toFixed(1)} s`, "-"],
          ],
        },
      ],
      summary: [
        {
          figure: "streams: peak gateway RSS, 1000 streams",
          value: mb(peak),
          target: `< ${RSS_TARGET_MB} MB`,
        },
        { figure: "streams: failed streams", value: `${failures} / ${STREAMS}`, target: "0" },
      ],
      figures: {
        rssBeforeMb: rssBefore,
        rssPeakMb: peak,
        rssFinalMb: rssFinal,
        completed: count("ok"),
        failures,
        wallSeconds: wallS,
      },
      notes: [`RSS read from /proc/${gw.pid}/status (${readProcessName(gw.pid)}).`],
    };
  } finally {
    await pool.close();
    await gw.stop();
  }
}
