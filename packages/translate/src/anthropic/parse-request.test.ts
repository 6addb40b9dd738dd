import { describe, expect, it } from "vitest";
import { loadFixture } from "./fixtures/load-fixture";
import { parseAnthropicRequest } from "./parse-request";

const valid = { model: "chain", max_tokens: 100, messages: [{ role: "user", content: "hi" }] };
const problem = (patch: Record<string, unknown>) => {
  const result = parseAnthropicRequest({ ...valid, ...patch });
  return result.ok ? null : result.message;
};

describe("parseAnthropicRequest", () => {
  it("accepts a minimal request and a Claude Code request as they are", () => {
    expect(parseAnthropicRequest(valid)).toEqual({ ok: true, request: valid });
    const { anthropic } = loadFixture<{ anthropic: unknown }>("anthropic-to-chat/claude-code.json");
    expect(parseAnthropicRequest(anthropic)).toEqual({ ok: true, request: anthropic });
  });

  it("names the first field that is wrong", () => {
    expect(parseAnthropicRequest([])).toEqual({
      ok: false,
      message: "The request body must be a JSON object.",
    });
    expect(problem({ model: undefined })).toBe("model: Field required");
    expect(problem({ model: "a\u0000b" })).toMatch(/^model: must be printable/);
    expect(problem({ max_tokens: undefined })).toBe(
      "max_tokens: Field required (a non-negative integer)",
    );
    expect(problem({ max_tokens: 1.5 })).toMatch(/^max_tokens/);
    expect(problem({ messages: [] })).toBe("messages: must contain at least one message");
    expect(problem({ messages: [{ role: "tool", content: "x" }] })).toBe(
      "messages.0.role: must be 'user', 'assistant' or 'system'",
    );
    expect(problem({ messages: [{ role: "user", content: [{ text: "no type" }] }] })).toBe(
      "messages.0.content: must be a string or a list of content blocks",
    );
    expect(problem({ system: 3 })).toBe("system: must be a string or a list of text blocks");
    expect(problem({ tools: [{ description: "no name" }] })).toBe(
      "tools: must be a list of tools, each with a name",
    );
    expect(problem({ stream: "yes" })).toBe("stream: must be a boolean");
    expect(problem({ stop_sequences: "END" })).toBe("stop_sequences: must be a list of strings");
    expect(problem({ metadata: "u1" })).toBe("metadata: must be an object");
  });
});
