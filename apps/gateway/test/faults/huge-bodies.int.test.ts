import {
  type FakeResponse,
  type FakeUpstream,
  sseFrame,
  startFakeUpstream,
  streamFrames,
} from "@429chain/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GatewayProcess, startGatewayProcess } from "../gateway-process";
import { postChat, writeTempConfig } from "../harness";
import { DEADLINE_MS, faultChainsConfig } from "./fault-chains";
import { memoryOf, resetPeakMemory } from "./gateway-probes";

const MB = 1024 * 1024;
/** How much the gateway's resident memory may grow while it handles one huge answer. */
const MAX_GROWTH = 40 * MB;
const KB_OF_TEXT = "a".repeat(1024);
const FIFTY_MB = 50 * 1024;

const completionHead =
  '{"id":"chatcmpl-big","object":"chat.completion","created":1,"model":"m",' +
  '"choices":[{"index":0,"message":{"role":"assistant","content":"';
const completionTail = '"},"finish_reason":"stop"}]}';
const chunkHead = 'data: {"choices":[{"index":0,"delta":{"content":"';
const sse = { "content-type": "text/event-stream" };
const [roleFrame, firstFrame] = streamFrames("m", ["partial"]);

/** Every huge answer is generated as it is written: the fake never holds 50 MB. */
const HUGE: Record<string, FakeResponse> = {
  // A 50 MB completion with a content-length.
  "big-body": {
    repeat: { head: completionHead, chunk: KB_OF_TEXT, times: FIFTY_MB, tail: completionTail },
  },
  // A body that never ends.
  "endless-body": {
    repeat: { head: completionHead, chunk: KB_OF_TEXT, times: Number.POSITIVE_INFINITY },
  },
  // A 50 MB single SSE event, before any content.
  "big-event": {
    headers: sse,
    repeat: {
      head: chunkHead,
      chunk: KB_OF_TEXT,
      times: FIFTY_MB,
      tail: `"},"finish_reason":null}]}\n\n${sseFrame("[DONE]")}`,
    },
  },
  // Some content, then an event that never ends (no newline ever again).
  "endless-event": {
    headers: sse,
    repeat: {
      head: `${roleFrame}${firstFrame}${chunkHead}`,
      chunk: KB_OF_TEXT,
      times: Number.POSITIVE_INFINITY,
    },
  },
};
const ids = Object.keys(HUGE);

let upstream: FakeUpstream;
let config: { path: string; remove(): void };
let gateway: GatewayProcess;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  for (const id of ids) upstream.route(`/${id}/chat/completions`, HUGE[id] as FakeResponse);
  config = writeTempConfig(faultChainsConfig(upstream.url, ids), "huge");
  gateway = await startGatewayProcess({ env: { CONFIG_PATH: config.path, LOG_LEVEL: "error" } });
  // Warm every path once (JIT, connection pools, parsers) with small answers.
  for (const stream of [false, true]) {
    for (let i = 0; i < 20; i++)
      await (await postChat(gateway.url, { model: "ok/m", stream })).text();
  }
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
  config?.remove();
});

/** Sends one request and reports the answer and how far the gateway's peak RSS rose. */
async function measure(model: string, stream: boolean) {
  resetPeakMemory(gateway.pid);
  const before = memoryOf(gateway.pid).rss;
  const started = performance.now();
  const res = await postChat(gateway.url, { model, stream });
  const body = await res.text();
  const ms = Math.round(performance.now() - started);
  const growth = memoryOf(gateway.pid).peak - before;
  console.info(
    `${model}${stream ? " (stream)" : ""}: ${res.status} via ${res.headers.get("x-429chain-provider")} ` +
      `in ${ms} ms, ${body.length} characters, peak RSS +${(Math.max(0, growth) / MB).toFixed(1)} MB`,
  );
  expect(ms).toBeLessThan(DEADLINE_MS);
  expect(growth).toBeLessThan(MAX_GROWTH);
  return { res, body };
}

describe("upstreams that send huge or endless answers", () => {
  it.each([
    ["big-body", false],
    ["endless-body", false],
    ["big-event", true],
  ] as const)("%s: the next entry serves, memory stays bounded", async (id, stream) => {
    const { res, body } = await measure(id, stream);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-429chain-provider")).toBe("ok/m");
    expect(body).toContain("Hello");
    expect(body.length).toBeLessThan(MB);
  });

  it("an endless event after the first content ends the stream with an error event", async () => {
    const { res, body } = await measure("endless-event", true);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-429chain-provider")).toBe("endless-event/m");
    expect(body).toContain("partial");
    expect(body).toMatch(/event: error\ndata: \{"error".*SSE event larger than/);
    expect(body).not.toContain("[DONE]");
  });

  it("a huge body from the only entry is a clear error", async () => {
    const { res, body } = await measure("big-body/m", false);
    expect(res.status).toBe(502);
    const error = (JSON.parse(body) as { error: { attempts: { reason: string }[] } }).error;
    expect(error.attempts[0]?.reason).toMatch(/body exceeds/);
  });

  it("is still up and healthy after all of them", async () => {
    const health = await fetch(`${gateway.url}/health`);
    expect(health.status).toBe(200);
    const res = await postChat(gateway.url, { model: "ok/m" });
    expect(res.status).toBe(200);
  });
});
