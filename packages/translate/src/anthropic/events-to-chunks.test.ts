import { describe, expect, it } from "vitest";
import { createAnthropicStreamEncoder } from "./chunks-to-events";
import { type AnthropicDecoderOptions, createAnthropicStreamDecoder } from "./events-to-chunks";
import { loadFixture } from "./fixtures/load-fixture";
import { parseWithSdk } from "./fixtures/parse-with-sdk";

interface Fixture {
  options: AnthropicDecoderOptions;
  events: Array<{ event: string; data: unknown }>;
  chunks: unknown[];
}

function expectFixture(name: string) {
  const fixture = loadFixture<Fixture>(`events-to-chunks/${name}.json`);
  const decoder = createAnthropicStreamDecoder(fixture.options);
  expect(fixture.events.flatMap(({ event, data }) => decoder.push(event, data))).toEqual(
    fixture.chunks,
  );
}

describe("createAnthropicStreamDecoder (recorded Anthropic streams)", () => {
  it("turns text deltas into content chunks, then a finish chunk and a usage chunk; pings vanish", () =>
    expectFixture("text"));
  it("turns a tool use into a tool call with id and name first, then its input_json_delta as arguments", () =>
    expectFixture("tool-use"));
  it("turns thinking deltas into reasoning_content, drops the signature, counts cache writes in the prompt", () =>
    expectFixture("thinking"));
});

describe("createAnthropicStreamDecoder", () => {
  it("numbers several tool calls from 0 whatever their block index, and ignores errors and junk", () => {
    const decoder = createAnthropicStreamDecoder({ created: 1, model: "chain" });
    const push = (data: unknown) => decoder.push(undefined, data);
    push({
      type: "message_start",
      message: { id: "msg_1", model: "claude", usage: { input_tokens: 1 } },
    });
    push({ type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
    const first = push({
      type: "content_block_start",
      index: 1,
      content_block: { type: "tool_use", id: "a", name: "f", input: {} },
    });
    const second = push({
      type: "content_block_start",
      index: 2,
      content_block: { type: "tool_use", id: "b", name: "g", input: { ready: true } },
    });
    expect(first[0]?.choices[0]?.delta.tool_calls?.[0]).toMatchObject({ index: 0, id: "a" });
    expect(second[0]?.choices[0]?.delta.tool_calls?.[0]).toEqual({
      index: 1,
      id: "b",
      type: "function",
      function: { name: "g", arguments: '{"ready":true}' },
    });
    expect(second[0]?.model).toBe("chain");
    expect(
      push({ type: "error", error: { type: "overloaded_error", message: "Overloaded" } }),
    ).toEqual([]);
    expect(decoder.push("ping", "not json")).toEqual([]);
  });

  it("round-trips with the encoder: Anthropic events → chat chunks → Anthropic SSE the SDK reads back", async () => {
    const fixture = loadFixture<Fixture>("events-to-chunks/tool-use.json");
    const decoder = createAnthropicStreamDecoder(fixture.options);
    const encoder = createAnthropicStreamEncoder({
      messageId: "msg_014p7gG3wDgGV9EUtLvnow3U",
      model: "claude-sonnet-4-6",
      inputTokens: 0,
      includeReasoning: false,
    });
    const frames = fixture.events.flatMap(({ event, data }) =>
      decoder.push(event, data).flatMap((chunk) => encoder.push(chunk)),
    );
    const message = await parseWithSdk([...frames, ...encoder.end()]);
    expect(message).toMatchObject({
      content: [
        { type: "text", text: "Okay, let's check the weather for San Francisco, CA:" },
        {
          type: "tool_use",
          id: "toolu_01T1x1fJ34qAmk2tNTrN7Up6",
          name: "get_weather",
          input: { location: "San Francisco, CA", unit: "fahrenheit" },
        },
      ],
      stop_reason: "tool_use",
      usage: { input_tokens: 472, output_tokens: 89 },
    });
  });
});
