import { describe, expect, it } from "vitest";
import { loadFixture } from "./fixtures/load-fixture";
import { anthropicMessageToChatCompletion, type MessageToChatOptions } from "./message-to-chat";
import type { AnthropicMessage } from "./types";

interface Fixture {
  options: MessageToChatOptions;
  message: AnthropicMessage;
  chat: unknown;
}

function expectFixture(name: string) {
  const fixture = loadFixture<Fixture>(`message-to-chat/${name}.json`);
  expect(anthropicMessageToChatCompletion(fixture.message, fixture.options)).toEqual(fixture.chat);
}

describe("anthropicMessageToChatCompletion (recorded fixtures)", () => {
  it("maps thinking to reasoning_content, tool_use to tool_calls and cache usage into the prompt", () =>
    expectFixture("thinking-tool-use"));
  it("joins text blocks and reports the model the caller names", () =>
    expectFixture("text-end-turn"));
});

describe("anthropicMessageToChatCompletion", () => {
  it("answers null content for a tool-only turn", () => {
    const chat = anthropicMessageToChatCompletion(
      {
        id: "msg_1",
        type: "message",
        role: "assistant",
        model: "c",
        content: [{ type: "tool_use", id: "t", name: "f", input: {} }],
        stop_reason: "tool_use",
        stop_sequence: null,
        usage: { input_tokens: 1, output_tokens: 1 },
      },
      { created: 5 },
    );
    expect(chat.choices[0]?.message).toEqual({
      role: "assistant",
      content: null,
      tool_calls: [{ id: "t", type: "function", function: { name: "f", arguments: "{}" } }],
    });
  });
});
