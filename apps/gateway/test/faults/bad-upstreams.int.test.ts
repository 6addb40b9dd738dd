import { type FakeResponse, sseFrame, streamFrames } from "@429chain/testing";
import { describe, expect, it } from "vitest";
import { postChat, useTestGateway } from "../harness";
import { DEADLINE_MS, faultChainsConfig } from "./fault-chains";

const html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
const [roleFrame] = streamFrames("m", []);

/** What each faulty upstream answers, to a plain request and to a streamed one. */
const FAULTS: Record<string, { plain: FakeResponse; streamed: FakeResponse }> = {
  // Accepts the request and never answers: the attempt's own timeout ends it.
  hang: { plain: { hang: true }, streamed: { hang: true } },
  html: {
    plain: { body: html, headers: { "content-type": "text/html" } },
    streamed: { body: html, headers: { "content-type": "text/html" } },
  },
  garbage: {
    plain: { body: "\u0000\u00ff{{{ not json", headers: { "content-type": "application/json" } },
    streamed: { stream: { frames: ["\u0000\u00ff{{{ not an event stream\n\n"] } },
  },
  // Valid JSON, but no completion in it: the stream ends without a single chunk.
  "not-a-completion": {
    plain: { body: { hello: "world" } },
    streamed: { stream: { frames: [sseFrame({ hello: "world" }), sseFrame("[DONE]")] } },
  },
  "json-array": {
    plain: { body: [{ choices: [] }] },
    streamed: { stream: { frames: [sseFrame([{ choices: [] }])] } },
  },
  "error-in-200": {
    plain: { body: { error: { message: "internal", type: "server_error" } } },
    streamed: { stream: { frames: [sseFrame({ error: { message: "internal" } })] } },
  },
  // Cut short: half a JSON object; a stream that ends after its role chunk.
  truncated: {
    plain: { body: '{"id":"chatcmpl-1","choices":[{"message":{"content":"Hel' },
    streamed: { stream: { frames: [roleFrame ?? ""], noDone: true } },
  },
};
const ids = Object.keys(FAULTS);

const t = useTestGateway((url) => faultChainsConfig(url, ids, ["hang"]));

describe.each([
  { mode: "plain", stream: false },
  { mode: "streamed", stream: true },
])("$mode requests to an upstream that misbehaves", ({ stream }) => {
  it.each(ids)("%s: the next entry serves, within the deadline", async (id) => {
    const fault = FAULTS[id];
    if (!fault) throw new Error(id);
    t.upstream.route(`/${id}/chat/completions`, stream ? fault.streamed : fault.plain);
    const started = performance.now();
    const res = await postChat(t.gw.url, { model: id, stream });
    const body = await res.text();
    const ms = performance.now() - started;
    expect(res.status).toBe(200);
    expect(res.headers.get("x-429chain-provider")).toBe("ok/m");
    expect(res.headers.get("x-429chain-attempts")).toBe("2");
    expect(body).toContain(stream ? "from the fake upstream" : "Hello from the fake upstream.");
    if (stream) expect(body).toContain("data: [DONE]");
    expect(t.upstream.hits(`/${id}/chat/completions`)).toBe(1);
    expect(ms).toBeLessThan(DEADLINE_MS);
  });
});
