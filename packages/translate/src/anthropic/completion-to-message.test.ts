import { describe, expect, it } from "vitest";
import type { ChatCompletion } from "../chat-types";
import {
  type CompletionToMessageOptions,
  chatCompletionToAnthropicMessage,
} from "./completion-to-message";
import { loadFixture } from "./fixtures/load-fixture";

interface Fixture {
  options: CompletionToMessageOptions;
  completion: ChatCompletion;
  message: unknown;
}

function expectFixture(name: string) {
  const fixture = loadFixture<Fixture>(`completion-to-message/${name}.json`);
  expect(chatCompletionToAnthropicMessage(fixture.completion, fixture.options)).toEqual(
    fixture.message,
  );
}

const completion = (
  message: Partial<ChatCompletion["choices"][number]["message"]>,
  finish: ChatCompletion["choices"][number]["finish_reason"],
  extra: Record<string, unknown> = {},
): ChatCompletion => ({
  id: "chatcmpl-1",
  object: "chat.completion",
  created: 1,
  model: "up",
  choices: [
    {
      index: 0,
      message: { role: "assistant", content: null, ...message },
      finish_reason: finish,
      ...extra,
    },
  ],
});

describe("chatCompletionToAnthropicMessage (recorded fixtures)", () => {
  it("reports text with end_turn and usage without the cached tokens in input_tokens", () =>
    expectFixture("text-cached-usage"));
  it("turns tool calls into tool_use blocks, keeping invalid JSON arguments as _raw", () =>
    expectFixture("tool-calls"));
  it("returns upstream reasoning as a text block before the answer when the client asked for thinking", () =>
    expectFixture("reasoning"));
});

describe("chatCompletionToAnthropicMessage", () => {
  it("drops upstream reasoning when the client did not ask for thinking, and never emits a thinking block", () => {
    const fixture = loadFixture<Fixture>("completion-to-message/reasoning.json");
    const message = chatCompletionToAnthropicMessage(fixture.completion, {
      model: "thinker",
      includeReasoning: false,
    });
    expect(message.content).toEqual([{ type: "text", text: "17 is prime." }]);
    const withReasoning = chatCompletionToAnthropicMessage(
      completion({ content: "a", reasoning: "r" }, "stop"),
      { model: "m", includeReasoning: true },
    );
    expect(withReasoning.content.map((b) => b.type)).toEqual(["text", "text"]);
  });

  it("maps every finish reason to a stop reason", () => {
    const stop = (c: ChatCompletion) =>
      chatCompletionToAnthropicMessage(c, { model: "m", includeReasoning: false });
    expect(stop(completion({ content: "a" }, "length")).stop_reason).toBe("max_tokens");
    expect(stop(completion({ content: "a" }, "content_filter")).stop_reason).toBe("refusal");
    expect(stop(completion({ refusal: "I can't help with that." }, "stop"))).toMatchObject({
      stop_reason: "refusal",
      content: [{ type: "text", text: "I can't help with that." }],
    });
    expect(stop(completion({ content: "a" }, null)).stop_reason).toBe("end_turn");
    const vllm = stop(completion({ content: "a" }, "stop", { stop_reason: "END" }));
    expect([vllm.stop_reason, vllm.stop_sequence]).toEqual(["stop_sequence", "END"]);
    const tokenId = stop(completion({ content: "a" }, "stop", { stop_reason: 128009 }));
    expect([tokenId.stop_reason, tokenId.stop_sequence]).toEqual(["end_turn", null]);
    const geminiTools = stop(
      completion(
        { tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "" } }] },
        "stop",
      ),
    );
    expect(geminiTools).toMatchObject({
      stop_reason: "tool_use",
      content: [{ type: "tool_use", id: "c", name: "f", input: {} }],
    });
  });

  it("uses the caller's id and estimates usage when the upstream reported none", () => {
    const message = chatCompletionToAnthropicMessage(completion({ content: "12345678" }, "stop"), {
      model: "m",
      includeReasoning: false,
      id: "msg_fromrequest",
      estimatedInputTokens: 321,
    });
    expect(message.id).toBe("msg_fromrequest");
    expect(message.usage).toEqual({
      input_tokens: 321,
      output_tokens: 2,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    });
  });

  it("makes tool ids Anthropic accepts and names calls that came without one", () => {
    const message = chatCompletionToAnthropicMessage(
      completion(
        {
          tool_calls: [
            {
              id: "functions.Bash:0",
              type: "function",
              function: { name: "Bash", arguments: "{}" },
            },
            { id: "", type: "function", function: { name: "Read", arguments: "{}" } },
          ],
        },
        "tool_calls",
      ),
      { model: "m", includeReasoning: false },
    );
    expect(message.content.map((block) => (block as { id: string }).id)).toEqual([
      "functions_Bash_0",
      "toolu_chatcmpl1_1",
    ]);
  });
});
