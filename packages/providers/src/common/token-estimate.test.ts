import { describe, expect, it } from "vitest";
import { estimateCompletionTokens, estimatePromptTokens } from "./token-estimate";

describe("estimatePromptTokens", () => {
  it("counts characters/4 plus per-message overhead", () => {
    // 3 priming + (4 + 10) + (4 + 3)
    expect(
      estimatePromptTokens({
        messages: [
          { role: "system", content: "x".repeat(40) },
          { role: "user", content: "y".repeat(9) },
        ],
      }),
    ).toBe(24);
  });

  it("counts text parts and images at a fixed cost", () => {
    expect(
      estimatePromptTokens({
        messages: [
          {
            role: "user",
            content: [
              { type: "text", text: "z".repeat(8) },
              { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
            ],
          },
        ],
      }),
    ).toBe(3 + 4 + 2 + 765);
  });

  it("counts tool definitions", () => {
    const base = { messages: [{ role: "user" as const, content: "hi" }] };
    const withTools = { ...base, tools: [{ type: "function", function: { name: "lookup" } }] };
    expect(estimatePromptTokens(withTools)).toBeGreaterThan(estimatePromptTokens(base));
  });
});

describe("estimateCompletionTokens", () => {
  it("is characters/4 rounded up", () => {
    expect(estimateCompletionTokens("")).toBe(0);
    expect(estimateCompletionTokens("hello")).toBe(2);
  });
});
