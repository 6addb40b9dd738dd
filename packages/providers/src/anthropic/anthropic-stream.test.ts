import type { TokenUsage } from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import { SseParser } from "../common/sse-parser";
import { mergeStreamUsage } from "../common/stream-usage";
import type { StreamSignal } from "../types";
import { anthropicAdapter } from "./index";

const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);
const error = (type: string, message: string) => ({ type: "error", error: { type, message } });

const STREAM = [
  "event: message_start",
  'data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":12,"cache_creation_input_tokens":100,"cache_read_input_tokens":1000,"output_tokens":1}}}',
  "",
  "event: ping",
  'data: {"type": "ping"}',
  "",
  "event: content_block_start",
  'data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
  "",
  "event: content_block_delta",
  'data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Checking."}}',
  "",
  "event: content_block_stop",
  'data: {"type":"content_block_stop","index":0}',
  "",
  "event: content_block_start",
  'data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}}',
  "",
  "event: content_block_delta",
  'data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\": \\"Paris\\"}"}}',
  "",
  "event: content_block_stop",
  'data: {"type":"content_block_stop","index":1}',
  "",
  "event: message_delta",
  'data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":42}}',
  "",
  "event: message_stop",
  'data: {"type":"message_stop"}',
  "",
  "",
].join("\r\n");

function signalsOf(text: string): StreamSignal[] {
  const parser = new SseParser();
  return [...parser.push(text), ...parser.end()].map((e) =>
    anthropicAdapter.classifyStreamEvent(e, NOW),
  );
}

describe("anthropic classifyStreamEvent", () => {
  it("forwards every event with its name, ignores pings and ends on message_stop", () => {
    const signals = signalsOf(STREAM);
    expect(signals.map((s) => (s.kind === "chunk" ? s.event : s.kind))).toEqual([
      "message_start",
      "ignore",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "content_block_start",
      "content_block_delta",
      "content_block_stop",
      "message_delta",
      "done",
    ]);
    expect(signals.at(-1)).toEqual({
      kind: "done",
      event: "message_stop",
      data: '{"type":"message_stop"}',
    });
    const start = signals[0];
    expect(start).toMatchObject({ kind: "chunk", json: { type: "message_start" } });
    expect(start?.kind === "chunk" && start.data).toContain('"id":"msg_1"');
  });

  it("counts content from the first delta or tool_use block, not from message_start", () => {
    const content = signalsOf(STREAM).map((s) => (s.kind === "chunk" ? s.hasContent : null));
    expect(content).toEqual([false, null, false, true, false, true, true, false, true, null]);
  });

  it.each([
    { type: "thinking_delta", thinking: "Let me see" },
    { type: "signature_delta", signature: "EqQBCgIYAh" },
    { type: "input_json_delta", partial_json: "" },
  ])("counts a %j delta as content", (delta) => {
    const event = {
      event: "content_block_delta",
      data: JSON.stringify({ type: "content_block_delta", index: 0, delta }),
    };
    expect(anthropicAdapter.classifyStreamEvent(event, NOW)).toMatchObject({ hasContent: true });
  });

  it("reports the prompt at message_start and the completion at message_delta", () => {
    const usages = signalsOf(STREAM).flatMap((s) =>
      s.kind === "chunk" && s.usage ? [s.usage] : [],
    );
    // The cache reads are reported apart as well, for pricing.
    expect(usages).toEqual([{ promptTokens: 1112, cachedTokens: 1000 }, { completionTokens: 42 }]);
    let merged: TokenUsage | undefined;
    for (const usage of usages) merged = mergeStreamUsage(merged, usage);
    expect(merged).toEqual({
      promptTokens: 1112,
      completionTokens: 42,
      totalTokens: 1154,
      cachedTokens: 1000,
      estimated: false,
    });
  });

  it("takes the prompt from message_delta when it carries input_tokens", () => {
    const data = {
      type: "message_delta",
      delta: { stop_reason: "end_turn" },
      usage: { input_tokens: 10, cache_read_input_tokens: 5, output_tokens: 7 },
    };
    expect(
      anthropicAdapter.classifyStreamEvent(
        { event: "message_delta", data: JSON.stringify(data) },
        NOW,
      ),
    ).toMatchObject({ hasContent: true, usage: { promptTokens: 15, completionTokens: 7 } });
  });

  it("fails mid-stream on an overloaded error event, rate-limits on a rate_limit_error", () => {
    const overloaded = {
      event: "error",
      data: JSON.stringify(error("overloaded_error", "Overloaded")),
    };
    expect(anthropicAdapter.classifyStreamEvent(overloaded, NOW)).toEqual({
      kind: "error",
      outcome: {
        kind: "upstream_error",
        reason: "stream error: overloaded_error: Overloaded",
        midStream: true,
      },
    });
    const limited = {
      event: "error",
      data: JSON.stringify(error("rate_limit_error", "Slow down")),
    };
    expect(anthropicAdapter.classifyStreamEvent(limited, NOW)).toMatchObject({
      kind: "error",
      outcome: { kind: "rate_limited", scope: "entry" },
    });
  });

  it("reads the event name from `type` when the event line is missing", () => {
    const data = JSON.stringify({ type: "message_stop" });
    expect(anthropicAdapter.classifyStreamEvent({ event: undefined, data }, NOW)).toMatchObject({
      kind: "done",
    });
    const err = JSON.stringify(error("overloaded_error", "Overloaded"));
    expect(
      anthropicAdapter.classifyStreamEvent({ event: undefined, data: err }, NOW),
    ).toMatchObject({
      kind: "error",
    });
  });

  it("fails on a garbage frame", () => {
    expect(
      anthropicAdapter.classifyStreamEvent({ event: "content_block_delta", data: "<html>" }, NOW),
    ).toMatchObject({ kind: "error", outcome: { kind: "upstream_error", midStream: true } });
  });
});
