import { describe, expect, it } from "vitest";
import type { ChatChunkDelta, ChatCompletionChunk, FinishReason } from "../chat-types";
import {
  encodeStreamFixture,
  parsedRequest,
  type StreamFixture,
} from "./fixtures/encode-stream-fixture";
import { readFixtures } from "./fixtures/read-fixtures";
import { createResponsesStreamEncoder } from "./responses-stream-encoder";

/** Parses `event: X\ndata: {…}\n\n`, checking the event name repeats the data's type. */
function parseFrame(frame: string): { type: string; [key: string]: unknown } {
  const match = /^event: ([\w.]+)\ndata: (.*)\n\n$/s.exec(frame);
  if (!match) throw new Error(`not an SSE frame: ${frame}`);
  const data = JSON.parse(match[2]!) as { type: string };
  expect(data.type).toBe(match[1]);
  return data;
}

function chunk(delta: ChatChunkDelta, finish: FinishReason | null = null): ChatCompletionChunk {
  return {
    id: "chatcmpl-x",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{ index: 0, delta, finish_reason: finish }],
  };
}

function run(chunks: ChatCompletionChunk[]) {
  const encoder = createResponsesStreamEncoder(parsedRequest({ input: "hi", stream: true }), {
    id: "resp_x",
    createdAt: 1,
  });
  return [...chunks.flatMap((c) => encoder.push(c)), ...encoder.end()].map(parseFrame);
}

/** The output items of the closing event's response. */
function finalOutput(events: { [key: string]: unknown }[]): { type: string; id: string }[] {
  const closing = events.at(-1) as { response?: { output: { type: string; id: string }[] } };
  return closing.response?.output ?? [];
}

describe("createResponsesStreamEncoder", () => {
  it.each(readFixtures<StreamFixture>("streams"))("encodes the %s stream as recorded", (_, f) => {
    const events = encodeStreamFixture(f).map(parseFrame);
    expect(events).toEqual(f.events);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
  });

  it("writes nothing before the first chunk and nothing after the end", () => {
    const encoder = createResponsesStreamEncoder(parsedRequest({ input: "hi" }), {
      id: "resp_x",
      createdAt: 1,
    });
    const first = encoder.push(chunk({ role: "assistant", content: "" }));
    expect(first.map(parseFrame).map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
    ]);
    expect(encoder.end().length).toBeGreaterThan(0);
    expect(encoder.push(chunk({ content: "late" }))).toEqual([]);
    expect(encoder.end()).toEqual([]);
    expect(encoder.fail("late")).toEqual([]);
  });

  it("ends a stream that had no chunk with an empty completed response", () => {
    const encoder = createResponsesStreamEncoder(parsedRequest({ model: "fast", input: "hi" }), {
      id: "resp_x",
      createdAt: 1,
    });
    const events = encoder.end().map(parseFrame);
    expect(events.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.completed",
    ]);
    expect(events[2]).toMatchObject({
      response: { status: "completed", output: [], model: "fast" },
    });
  });

  it("makes two items of two whole calls sent at the same index with different ids", () => {
    const call = (id: string, city: string) => ({
      index: 0,
      id,
      type: "function" as const,
      function: { name: "get_weather", arguments: JSON.stringify({ city }) },
    });
    const events = run([
      chunk({ tool_calls: [call("call_1", "Paris")] }),
      chunk({ tool_calls: [call("call_2", "Oslo")] }, "tool_calls"),
    ]);
    expect(finalOutput(events)).toEqual([
      expect.objectContaining({
        call_id: "call_1",
        arguments: '{"city":"Paris"}',
        status: "completed",
      }),
      expect.objectContaining({
        call_id: "call_2",
        arguments: '{"city":"Oslo"}',
        status: "completed",
      }),
    ]);
  });

  it("holds arguments that come before the call's name and opens the item with them", () => {
    const events = run([
      chunk({ tool_calls: [{ index: 0, id: "call_1", function: { arguments: '{"a":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { name: "f", arguments: "1}" } }] }, "tool_calls"),
    ]);
    expect(events.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.function_call_arguments.delta",
      "response.function_call_arguments.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events[3]).toMatchObject({ delta: '{"a":1}' });
    expect(events[4]).toMatchObject({ name: "f", arguments: '{"a":1}' });
  });

  it("opens a new message item for text that follows a tool call", () => {
    const events = run([
      chunk({ tool_calls: [{ index: 0, id: "call_1", function: { name: "f", arguments: "{}" } }] }),
      chunk({ content: "and then" }, "stop"),
    ]);
    expect(finalOutput(events).map((o) => [o.type, o.id])).toEqual([
      ["function_call", "fc_x_0"],
      ["message", "msg_x_1"],
    ]);
    const firstDone = events.findIndex((e) => e.type === "response.output_item.done");
    const secondAdded = events.findLastIndex((e) => e.type === "response.output_item.added");
    expect(firstDone).toBeLessThan(secondAdded);
  });

  it("drops reasoning deltas: no item and no frame beyond the opening ones", () => {
    const events = run([
      chunk({ reasoning_content: "thinking" }),
      chunk({ reasoning: "more" }, "stop"),
    ]);
    expect(events.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.completed",
    ]);
  });

  it("streams a refusal as a refusal part", () => {
    const events = run([chunk({ refusal: "I can't" }), chunk({ refusal: " help." }, "stop")]);
    expect(events.map((e) => e.type)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
      "response.content_part.added",
      "response.refusal.delta",
      "response.refusal.delta",
      "response.refusal.done",
      "response.content_part.done",
      "response.output_item.done",
      "response.completed",
    ]);
    expect(events[6]).toMatchObject({ refusal: "I can't help." });
  });
});
