import type { ChatCompletionRequest } from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import { estimateAnthropicInputTokens } from "./estimate";
import { loadFixture } from "./fixtures/load-fixture";
import type { AnthropicMessagesRequest } from "./types";

// chars/4 of the whole chat request: a stand-in for the providers' estimator.
const charsOver4 = (chat: ChatCompletionRequest) => Math.ceil(JSON.stringify(chat).length / 4);

describe("estimateAnthropicInputTokens", () => {
  it("measures the chat translation with the estimator it is given", () => {
    const seen: ChatCompletionRequest[] = [];
    const tokens = estimateAnthropicInputTokens(
      { model: "m", max_tokens: 10, system: "sys", messages: [{ role: "user", content: "hello" }] },
      (chat) => {
        seen.push(chat);
        return 42;
      },
    );
    expect(tokens).toBe(42);
    expect(seen[0]?.messages).toEqual([
      { role: "system", content: "sys" },
      { role: "user", content: "hello" },
    ]);
  });

  it("still counts what only Anthropic can serve (a PDF grows the estimate with its size)", () => {
    const { anthropic } = loadFixture<{ anthropic: AnthropicMessagesRequest }>(
      "anthropic-to-chat/document-pdf.json",
    );
    const small = estimateAnthropicInputTokens(anthropic, charsOver4);
    const bigger = JSON.parse(
      JSON.stringify(anthropic).replace("JVBERi0xLjQKJcfsj6IK", "A".repeat(40_000)),
    ) as AnthropicMessagesRequest;
    expect(estimateAnthropicInputTokens(bigger, charsOver4)).toBeGreaterThan(small + 9_000);
  });
});
