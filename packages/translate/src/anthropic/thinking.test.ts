import { describe, expect, it } from "vitest";
import { wantsThinking } from "./thinking";
import type { AnthropicMessagesRequest } from "./types";

const request = (thinking?: unknown) =>
  ({ model: "m", max_tokens: 1, messages: [], thinking }) as AnthropicMessagesRequest;

describe("wantsThinking", () => {
  it("is true for enabled or adaptive thinking unless its display is omitted", () => {
    expect(wantsThinking(request({ type: "enabled", budget_tokens: 1024 }))).toBe(true);
    expect(wantsThinking(request({ type: "adaptive" }))).toBe(true);
    expect(wantsThinking(request({ type: "adaptive", display: "omitted" }))).toBe(false);
    expect(wantsThinking(request({ type: "disabled" }))).toBe(false);
    expect(wantsThinking(request())).toBe(false);
  });
});
