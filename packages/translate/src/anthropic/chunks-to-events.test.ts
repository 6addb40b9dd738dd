import { APIError } from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import type { ChatCompletionChunk } from "../chat-types";
import { type AnthropicEncoderOptions, createAnthropicStreamEncoder } from "./chunks-to-events";
import { loadFixture } from "./fixtures/load-fixture";
import { parseWithSdk } from "./fixtures/parse-with-sdk";
import { anthropicPingFrame } from "./sse-frames";

interface Fixture {
  options: AnthropicEncoderOptions;
  chunks: ChatCompletionChunk[];
  events: unknown[];
  message?: unknown;
}

const options: AnthropicEncoderOptions = {
  messageId: "msg_1",
  model: "fast",
  inputTokens: 10,
  includeReasoning: false,
};

function encode(chunks: ChatCompletionChunk[], opts: AnthropicEncoderOptions = options) {
  const encoder = createAnthropicStreamEncoder(opts);
  return [...chunks.flatMap((chunk) => encoder.push(chunk)), ...encoder.end()];
}

/** Each frame is `event: <type>\ndata: <one JSON line>\n\n` with the event name = data.type. */
function events(frames: string[]): Array<{ type: string; [key: string]: unknown }> {
  return frames.map((frame) => {
    const match = /^event: (\w+)\ndata: (.+)\n\n$/.exec(frame);
    if (!match) throw new Error(`not an SSE frame: ${JSON.stringify(frame)}`);
    const data = JSON.parse(match[2] ?? "");
    expect(data.type).toBe(match[1]);
    return data;
  });
}

const chunk = (
  delta: ChatCompletionChunk["choices"][number]["delta"],
  finish: ChatCompletionChunk["choices"][number]["finish_reason"] = null,
): ChatCompletionChunk => ({
  id: "c",
  object: "chat.completion.chunk",
  created: 1,
  model: "up",
  choices: [{ index: 0, delta, finish_reason: finish }],
});

describe("createAnthropicStreamEncoder (recorded OpenAI streams)", () => {
  it("streams text as one text block and reports the upstream's usage (cached tokens apart) in message_delta", async () => {
    const fixture = loadFixture<Fixture>("chunks-to-events/text.json");
    const frames = encode(fixture.chunks, fixture.options);
    expect(events(frames)).toEqual(fixture.events);
    const message = await parseWithSdk(frames);
    expect(message).toMatchObject({
      id: "msg_req1",
      content: [{ type: "text", text: "Hello! How can I help?" }],
      stop_reason: "end_turn",
      usage: { input_tokens: 58, output_tokens: 8, cache_read_input_tokens: 1152 },
    });
  });

  it("streams text then two tool calls as separate, ordered blocks with input_json_delta", async () => {
    const fixture = loadFixture<Fixture>("chunks-to-events/text-and-tool-calls.json");
    const frames = encode(fixture.chunks, fixture.options);
    expect(events(frames)).toEqual(fixture.events);
    // The SDK adds `parsed_output` (structured outputs); the rest is the message as Anthropic sends it.
    const { parsed_output, ...message } = await parseWithSdk(frames);
    expect(parsed_output).toBeNull();
    expect(message).toEqual(fixture.message);
  });

  it("streams reasoning as a text block before the answer only when the client asked for thinking", async () => {
    const { chunks } = loadFixture<Fixture>("chunks-to-events/reasoning.json");
    const withReasoning = await parseWithSdk(
      encode(chunks, { ...options, includeReasoning: true }),
    );
    expect(withReasoning.content).toEqual([
      { type: "text", text: "17 has no divisors below its square root." },
      { type: "text", text: "17 is prime." },
    ]);
    expect(withReasoning.usage).toMatchObject({ input_tokens: 15, output_tokens: 40 });
    const without = await parseWithSdk(encode(chunks, options));
    expect(without.content).toEqual([{ type: "text", text: "17 is prime." }]);
  });
});

describe("createAnthropicStreamEncoder", () => {
  it("ends a stream that failed mid-way with an error event the SDK raises", async () => {
    const encoder = createAnthropicStreamEncoder(options);
    const frames = [
      ...encoder.push(chunk({ role: "assistant", content: "Hel" })),
      ...encoder.push(chunk({ content: "lo" })),
      ...encoder.fail("Upstream stream broke after 2 chunks"),
    ];
    expect(events(frames).at(-1)).toEqual({
      type: "error",
      error: { type: "api_error", message: "Upstream stream broke after 2 chunks" },
    });
    const error = await parseWithSdk(frames).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(APIError);
    expect(error).toMatchObject({
      type: "api_error",
      apiMessage: "Upstream stream broke after 2 chunks",
    });
    expect(encoder.end()).toEqual([]);
    expect(encoder.push(chunk({ content: "late" }))).toEqual([]);
  });

  it("holds arguments that arrive before a tool's name, and names calls that came without an id", async () => {
    const frames = encode([
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"q":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { name: "search", arguments: '"x"}' } }] }),
      chunk({
        tool_calls: [
          { index: 1, id: "functions.search:1", function: { name: "search", arguments: "{}" } },
        ],
      }),
      chunk({}, "tool_calls"),
    ]);
    const message = await parseWithSdk(frames);
    expect(message.content).toEqual([
      { type: "tool_use", id: "toolu_1_0", name: "search", input: { q: "x" } },
      { type: "tool_use", id: "functions_search_1", name: "search", input: {} },
    ]);
    expect(message.stop_reason).toBe("tool_use");
  });

  it("starts a new text block after a tool call, and estimates output tokens without upstream usage", async () => {
    const frames = encode([
      chunk({ content: "a" }),
      chunk({ tool_calls: [{ index: 0, id: "call_1", function: { name: "f", arguments: "" } }] }),
      chunk({ content: "12345678" }),
      chunk({}, "stop"),
    ]);
    expect(
      events(frames)
        .filter((e) => e.type === "content_block_start")
        .map((e) => e.index),
    ).toEqual([0, 1, 2]);
    const message = await parseWithSdk(frames);
    expect(message.content.map((block) => block.type)).toEqual(["text", "tool_use", "text"]);
    expect(message.stop_reason).toBe("tool_use");
    expect(message.usage).toMatchObject({ input_tokens: 10, output_tokens: 3 });
  });

  it("maps length, content_filter and vLLM's matched stop string", async () => {
    const stopOf = async (
      finish: ChatCompletionChunk["choices"][number]["finish_reason"],
      extra = {},
    ) => {
      const last = chunk({}, finish);
      Object.assign(last.choices[0] as object, extra);
      const message = await parseWithSdk(encode([chunk({ content: "x" }), last]));
      return [message.stop_reason, message.stop_sequence];
    };
    expect(await stopOf("length")).toEqual(["max_tokens", null]);
    expect(await stopOf("content_filter")).toEqual(["refusal", null]);
    expect(await stopOf("stop", { stop_reason: "</answer>" })).toEqual([
      "stop_sequence",
      "</answer>",
    ]);
    expect(await stopOf(null)).toEqual(["end_turn", null]);
  });

  it("answers an upstream that sent nothing with an empty message", async () => {
    const message = await parseWithSdk(createAnthropicStreamEncoder(options).end());
    expect(message).toMatchObject({ id: "msg_1", content: [], stop_reason: "end_turn" });
  });

  it("has a ping frame the SDK skips", async () => {
    expect(anthropicPingFrame()).toBe('event: ping\ndata: {"type": "ping"}\n\n');
    const encoder = createAnthropicStreamEncoder(options);
    const frames = [
      ...encoder.push(chunk({ content: "a" })),
      anthropicPingFrame(),
      ...encoder.end(),
    ];
    expect((await parseWithSdk(frames)).content).toEqual([{ type: "text", text: "a" }]);
  });
});
