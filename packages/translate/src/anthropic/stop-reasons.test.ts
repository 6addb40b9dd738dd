import { describe, expect, it } from "vitest";
import { toAnthropicStop, toFinishReason } from "./stop-reasons";

describe("toFinishReason", () => {
  it("maps every Anthropic stop reason", () => {
    expect(toFinishReason("end_turn")).toBe("stop");
    expect(toFinishReason("stop_sequence")).toBe("stop");
    expect(toFinishReason("pause_turn")).toBe("stop");
    expect(toFinishReason("max_tokens")).toBe("length");
    expect(toFinishReason("model_context_window_exceeded")).toBe("length");
    expect(toFinishReason("tool_use")).toBe("tool_calls");
    expect(toFinishReason("refusal")).toBe("content_filter");
    expect(toFinishReason(null)).toBe("stop");
  });
});

describe("toAnthropicStop", () => {
  const none = { hasToolCalls: false };
  it("maps every chat finish reason", () => {
    expect(toAnthropicStop("stop", none)).toEqual({ stop_reason: "end_turn", stop_sequence: null });
    expect(toAnthropicStop("length", none).stop_reason).toBe("max_tokens");
    expect(toAnthropicStop("tool_calls", none).stop_reason).toBe("tool_use");
    expect(toAnthropicStop("function_call", none).stop_reason).toBe("tool_use");
    expect(toAnthropicStop("content_filter", none).stop_reason).toBe("refusal");
  });
  it("reports a stop sequence only when the upstream named it", () => {
    expect(toAnthropicStop("stop", { hasToolCalls: false, matchedStop: "###" })).toEqual({
      stop_reason: "stop_sequence",
      stop_sequence: "###",
    });
  });
  it("keeps max_tokens for a truncated tool call", () => {
    expect(toAnthropicStop("length", { hasToolCalls: true }).stop_reason).toBe("max_tokens");
  });
});
