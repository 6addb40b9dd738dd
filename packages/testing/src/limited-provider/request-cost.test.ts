import { describe, expect, it } from "vitest";
import { requestCostOf } from "./request-cost";

describe("requestCostOf", () => {
  it("counts every message's text as characters / 4, rounded up", () => {
    const body = {
      messages: [
        { role: "system", content: "x".repeat(10) },
        { role: "user", content: [{ type: "text", text: "y".repeat(7) }] },
      ],
      max_tokens: 500,
    };
    expect(requestCostOf(body, 64)).toEqual({
      promptTokens: 5,
      completionTokens: 64,
      maxTokens: 500,
    });
  });

  it("generates no more than max_completion_tokens or max_tokens allow", () => {
    expect(requestCostOf({ messages: [], max_completion_tokens: 16 }, 64)).toEqual({
      promptTokens: 1,
      completionTokens: 16,
      maxTokens: 16,
    });
    expect(requestCostOf({ messages: [] }, 64).maxTokens).toBe(64);
    expect(requestCostOf("garbage", 8)).toEqual({
      promptTokens: 1,
      completionTokens: 8,
      maxTokens: 8,
    });
  });
});
