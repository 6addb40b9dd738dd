import { describe, expect, it } from "vitest";
import { loadFixture } from "./fixtures/load-fixture";
import { anthropicToChatRequest } from "./request-to-chat";
import type { AnthropicMessagesRequest } from "./types";

interface Fixture {
  anthropic: AnthropicMessagesRequest;
  chat?: unknown;
  notes?: string[];
  unsupported?: string;
}

function expectFixture(name: string) {
  const fixture = loadFixture<Fixture>(`anthropic-to-chat/${name}.json`);
  const result = anthropicToChatRequest(fixture.anthropic);
  if (fixture.unsupported !== undefined) {
    expect(result).toEqual({ ok: false, unsupported: fixture.unsupported });
  } else {
    expect(result).toEqual({ ok: true, request: fixture.chat, notes: fixture.notes });
  }
}

const base = { model: "m", max_tokens: 100 };
const translate = (request: Record<string, unknown>, options = {}) =>
  anthropicToChatRequest({ ...base, ...request } as AnthropicMessagesRequest, options);
const chatOf = (request: Record<string, unknown>, options = {}) => {
  const result = translate(request, options);
  if (!result.ok) throw new Error(result.unsupported);
  return result.request;
};

describe("anthropicToChatRequest (recorded fixtures)", () => {
  it("maps system string, max_tokens, temperature, top_p, stop_sequences, metadata.user_id, stream; drops top_k with a note", () =>
    expectFixture("text-and-parameters"));
  it("joins system blocks and text blocks into strings and drops cache_control", () =>
    expectFixture("system-blocks-cache-control"));
  it("maps base64 images to data URLs and URL images to image_url parts", () =>
    expectFixture("images"));
  it("turns a two-turn tool use into tool_calls, tool messages (errors visible, images after) and function tools", () =>
    expectFixture("tool-use-two-turns"));
  it("translates a Claude Code request: cached system blocks, 14 tools, thinking, user id, signed thinking dropped", () =>
    expectFixture("claude-code"));
  it("refuses server tools, naming the tool and its position", () => expectFixture("server-tool"));
  it("refuses documents (PDF)", () => expectFixture("document-pdf"));
});

describe("anthropicToChatRequest", () => {
  it("maps each tool_choice and disable_parallel_tool_use", () => {
    const tools = [{ name: "f", input_schema: { type: "object" } }];
    const pick = (tool_choice: unknown) => {
      const chat = chatOf({ messages: [{ role: "user", content: "x" }], tools, tool_choice });
      return { tool_choice: chat.tool_choice, parallel: chat.parallel_tool_calls };
    };
    expect(pick({ type: "auto" })).toEqual({ tool_choice: "auto", parallel: undefined });
    expect(pick({ type: "any", disable_parallel_tool_use: true })).toEqual({
      tool_choice: "required",
      parallel: false,
    });
    expect(pick({ type: "tool", name: "f" })).toEqual({
      tool_choice: { type: "function", function: { name: "f" } },
      parallel: undefined,
    });
    expect(pick({ type: "none" })).toEqual({ tool_choice: "none", parallel: undefined });
  });

  it("sends no tool_choice without tools (OpenAI rejects it)", () => {
    const chat = chatOf({
      messages: [{ role: "user", content: "x" }],
      tool_choice: { type: "any" },
    });
    expect(chat.tool_choice).toBeUndefined();
    expect(chat.tools).toBeUndefined();
  });

  it("refuses Anthropic-defined client tools and Files API images", () => {
    expect(
      translate({
        messages: [{ role: "user", content: "x" }],
        tools: [{ type: "text_editor_20250728", name: "str_replace_based_edit_tool" }],
      }),
    ).toEqual({ ok: false, unsupported: "Anthropic-defined tool text_editor_20250728 (tools[0])" });
    expect(
      translate({
        messages: [
          { role: "user", content: [{ type: "image", source: { type: "file", file_id: "f1" } }] },
        ],
      }),
    ).toEqual({ ok: false, unsupported: "Files API image (messages[0].content[0])" });
  });

  it("refuses server tool results in the history, MCP servers and cache pre-warming, counting the rest", () => {
    expect(
      translate({
        max_tokens: 0,
        mcp_servers: [{ type: "url", url: "https://mcp.example.org", name: "x" }],
        messages: [
          { role: "user", content: "x" },
          {
            role: "assistant",
            content: [
              { type: "server_tool_use", id: "srvtoolu_1", name: "web_search", input: {} },
              { type: "web_search_tool_result", tool_use_id: "srvtoolu_1", content: [] },
            ],
          },
        ],
      }),
    ).toEqual({
      ok: false,
      unsupported: "server_tool_use block (messages[1].content[0]) and 3 more",
    });
  });

  it("merges consecutive assistant messages and drops turns that held only signed reasoning", () => {
    const chat = chatOf({
      messages: [
        { role: "user", content: "x" },
        { role: "assistant", content: [{ type: "thinking", thinking: "t", signature: "s" }] },
        { role: "assistant", content: "first" },
        {
          role: "assistant",
          content: [
            { type: "redacted_thinking", data: "d" },
            { type: "text", text: "second" },
            { type: "tool_use", id: "t1", name: "f", input: {} },
          ],
        },
      ],
    });
    expect(chat.messages).toEqual([
      { role: "user", content: "x" },
      {
        role: "assistant",
        content: "first\n\nsecond",
        tool_calls: [{ id: "t1", type: "function", function: { name: "f", arguments: "{}" } }],
      },
    ]);
  });

  it("keeps system turns inside messages in place (API 2026-10-21)", () => {
    const chat = chatOf({
      system: "top",
      messages: [
        { role: "user", content: "x" },
        { role: "system", content: [{ type: "text", text: "mid" }] },
        { role: "user", content: "y" },
      ],
    });
    expect(chat.messages.map((m) => [m.role, m.content])).toEqual([
      ["system", "top"],
      ["user", "x"],
      ["system", "mid"],
      ["user", "y"],
    ]);
  });

  it("gives empty and error-only tool results a visible content", () => {
    const chat = chatOf({
      messages: [
        { role: "assistant", content: [{ type: "tool_use", id: "a", name: "f", input: {} }] },
        {
          role: "user",
          content: [
            { type: "tool_result", tool_use_id: "a" },
            { type: "tool_result", tool_use_id: "a", is_error: true },
          ],
        },
      ],
    });
    expect(chat.messages.slice(1)).toEqual([
      { role: "tool", tool_call_id: "a", content: "" },
      { role: "tool", tool_call_id: "a", content: "Error" },
    ]);
  });

  it("restores raw tool arguments kept as _raw", () => {
    const chat = chatOf({
      messages: [
        {
          role: "assistant",
          content: [{ type: "tool_use", id: "a", name: "f", input: { _raw: "{not json" } }],
        },
      ],
    });
    expect(chat.messages[0]?.tool_calls).toEqual([
      { id: "a", type: "function", function: { name: "f", arguments: "{not json" } },
    ]);
  });

  it("maps output_config effort to reasoning_effort (when asked) and a JSON schema format to response_format", () => {
    const schema = { type: "object", properties: { a: { type: "string" } } };
    const chat = chatOf(
      {
        messages: [{ role: "user", content: "x" }],
        thinking: { type: "enabled", budget_tokens: 2048 },
        output_config: { effort: "high", format: { type: "json_schema", schema } },
      },
      { forwardEffort: true },
    );
    expect(chat.reasoning_effort).toBe("high");
    expect(chat.response_format).toEqual({
      type: "json_schema",
      json_schema: { name: "output", schema, strict: true },
    });
    expect(chat.thinking).toBeUndefined();
  });

  it("keeps at most four stop sequences and says so", () => {
    const result = translate({
      messages: [{ role: "user", content: "x" }],
      stop_sequences: ["a", "b", "c", "d", "e"],
    });
    expect(result).toMatchObject({
      ok: true,
      request: { stop: ["a", "b", "c", "d"] },
      notes: ["stop_sequences beyond the first 4 dropped"],
    });
  });

  it("drops output_config effort by default, with a note (non-reasoning models refuse reasoning_effort)", () => {
    const result = translate({
      messages: [{ role: "user", content: "x" }],
      output_config: { effort: "max" },
    });
    expect(result).toMatchObject({
      ok: true,
      notes: ["output_config.effort dropped (reasoning_effort not forwarded)"],
    });
    expect(result).not.toHaveProperty("request.reasoning_effort");
  });
});
