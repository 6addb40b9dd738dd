import { Pool } from "undici";
import { CHAINS, gatewayTarget, surfaceTarget, type Target } from "./bench-config";
import type { ScenarioResult } from "./bench-types";
import { fmtMs, fmtNum, fmtSigned } from "./format";
import { startGatewayChild } from "./gateway-child";
import { measure as measureLatency } from "./scenario-latency";
import { measureThroughput } from "./scenario-throughput";
import { summarize } from "./stats";

const TTFB_REQUESTS = 500;
const TTFB_WARMUP = 200;
const ROUNDS = 5;
const hi = [{ role: "user", content: "hi" }];

/** The same entry (the fast or short mock) asked through each API. */
function targets(gw: string) {
  return {
    chat: gatewayTarget(gw, CHAINS.fast),
    responses: surfaceTarget(gw, "/v1/responses", (stream) =>
      JSON.stringify({ model: CHAINS.fast, input: "hi", stream }),
    ),
    messages: surfaceTarget(gw, "/v1/messages", (stream) =>
      JSON.stringify({ model: CHAINS.fast, max_tokens: 64, messages: hi, stream }),
    ),
    chatStream: gatewayTarget(gw, CHAINS.short),
    messagesStream: surfaceTarget(gw, "/v1/messages", (stream) =>
      JSON.stringify({ model: CHAINS.short, max_tokens: 64, messages: hi, stream }),
    ),
    embeddings: surfaceTarget(gw, "/v1/embeddings", () =>
      JSON.stringify({ model: CHAINS.embed, input: "hi", encoding_format: "float" }),
    ),
  };
}

/** Time to the first body byte of streamed requests, one at a time. */
async function ttfbP50(target: Target): Promise<{ p50: number; errors: number }> {
  const pool = new Pool(target.origin, { connections: 1, pipelining: 1 });
  const times: number[] = [];
  let errors = 0;
  try {
    for (let i = 0; i < TTFB_WARMUP + TTFB_REQUESTS; i++) {
      const t0 = performance.now();
      const res = await pool.request({
        method: "POST",
        path: target.path,
        headers: target.headers,
        body: target.body(true),
      });
      let first: number | null = null;
      for await (const _chunk of res.body) first ??= performance.now() - t0;
      if (res.statusCode !== 200 || first === null) errors++;
      else if (i >= TTFB_WARMUP) times.push(first);
    }
  } finally {
    await pool.close();
  }
  return { p50: summarize(times).p50, errors };
}

/**
 * What the API surfaces add over chat on the same entry: non-streamed p50 at 500 req/s for
 * /v1/responses and /v1/messages (translated to chat), streaming time to first byte of
 * /v1/messages (chat chunks re-encoded as Anthropic events), and /v1/embeddings throughput.
 */
export async function runSurfaces(upstreamUrl: string): Promise<ScenarioResult> {
  const gw = await startGatewayChild("surfaces", upstreamUrl);
  const t = targets(gw.url);
  try {
    const p50 = { chat: [] as number[], responses: [] as number[], messages: [] as number[] };
    const ttfb = { chat: [] as number[], messages: [] as number[] };
    const short = { warmupMs: 1_000, measureMs: 4_000 };
    // Interleaved rounds: drift of the machine hits every API alike.
    for (let round = 0; round < ROUNDS; round++) {
      for (const api of ["chat", "responses", "messages"] as const) {
        p50[api].push((await measureLatency(t[api], gw.pid, short)).dist.p50);
      }
      ttfb.chat.push((await ttfbP50(t.chatStream)).p50);
      ttfb.messages.push((await ttfbP50(t.messagesStream)).p50);
    }
    const median = (xs: number[]) => summarize(xs).p50;
    // Added = the median of each round's difference: a round spoiled by the machine's other
    // work spoils both of its figures alike.
    const added = (xs: number[], base: number[]) => median(xs.map((x, i) => x - (base[i] ?? x)));
    const chatP50 = median(p50.chat);
    const responsesAdded = added(p50.responses, p50.chat);
    const messagesAdded = added(p50.messages, p50.chat);
    const ttfbAdded = added(ttfb.messages, ttfb.chat);
    const chatRps = await measureThroughput(t.chat);
    const embedRps = await measureThroughput(t.embeddings);
    return {
      name: "surfaces",
      tables: [
        {
          title: `surfaces: the same entry through each API (medians of ${ROUNDS} interleaved rounds; added = median of the rounds' differences)`,
          headers: ["figure", "chat", "other API", "added", "target"],
          rows: [
            [
              "p50 @500 req/s, /v1/responses",
              fmtMs(chatP50),
              fmtMs(median(p50.responses)),
              fmtSigned(responsesAdded),
              "<= +0.3 ms",
            ],
            [
              "p50 @500 req/s, /v1/messages (translated)",
              fmtMs(chatP50),
              fmtMs(median(p50.messages)),
              fmtSigned(messagesAdded),
              "-",
            ],
            [
              "stream TTFB p50, /v1/messages (translated)",
              fmtMs(median(ttfb.chat)),
              fmtMs(median(ttfb.messages)),
              fmtSigned(ttfbAdded),
              "<= +0.3 ms",
            ],
            [
              "req/s at 50 connections, /v1/embeddings",
              fmtNum(chatRps.requests.average, 0),
              fmtNum(embedRps.requests.average, 0),
              "",
              "report",
            ],
          ],
        },
      ],
      summary: [
        {
          figure: "surfaces: /v1/responses added p50 vs chat",
          value: fmtSigned(responsesAdded),
          target: "<= +0.3 ms",
        },
        {
          figure: "surfaces: /v1/messages added TTFB p50 vs chat",
          value: fmtSigned(ttfbAdded),
          target: "<= +0.3 ms",
        },
        {
          figure: "surfaces: /v1/embeddings req/s vs chat",
          value: `${fmtNum(embedRps.requests.average, 0)} vs ${fmtNum(chatRps.requests.average, 0)}`,
          target: "report",
        },
      ],
      figures: {
        chatP50Ms: chatP50,
        responsesAddedP50Ms: responsesAdded,
        messagesAddedP50Ms: messagesAdded,
        messagesAddedTtfbP50Ms: ttfbAdded,
        chatRps: chatRps.requests.average,
        embeddingsRps: embedRps.requests.average,
      },
      notes: [
        "Every API hits the same mock entry; the difference is the surface's parsing, translation and encoding.",
        "/v1/messages streams: the mock's chat chunks are re-encoded as Anthropic events before the first byte leaves.",
      ],
    };
  } finally {
    await gw.stop();
  }
}
