import type { ChatCompletionRequest } from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import { type ChatToAnthropicOptions, chatToAnthropicRequest } from "./chat-to-request";
import { loadFixture } from "./fixtures/load-fixture";

interface Fixture {
  options: ChatToAnthropicOptions;
  chat: ChatCompletionRequest;
  anthropic: unknown;
  notes: string[];
}

function expectFixture(name: string) {
  const fixture = loadFixture<Fixture>(`chat-to-anthropic/${name}.json`);
  expect(chatToAnthropicRequest(fixture.chat, fixture.options)).toEqual({
    ok: true,
    request: fixture.anthropic,
    notes: fixture.notes,
  });
}

const translate = (
  request: Record<string, unknown>,
  options: Partial<ChatToAnthropicOptions> = {},
) =>
  chatToAnthropicRequest(
    { messages: [{ role: "user", content: "x" }], ...request } as ChatCompletionRequest,
    { model: "claude", ...options },
  );

describe("chatToAnthropicRequest (recorded fixtures)", () => {
  it("turns a tool-use conversation into alternating turns with tool_use/tool_result blocks and a top-level system", () =>
    expectFixture("tool-use-two-turns"));
  it("maps data-URL and https images and inline PDF and text files", () =>
    expectFixture("images-and-files"));
});

describe("chatToAnthropicRequest", () => {
  it("defaults max_tokens to 4096 (or the caller's default) since Anthropic requires it", () => {
    expect(translate({})).toMatchObject({ ok: true, request: { max_tokens: 4096 } });
    expect(translate({}, { defaultMaxTokens: 1000 })).toMatchObject({
      request: { max_tokens: 1000 },
    });
    expect(translate({ max_tokens: 50 })).toMatchObject({ request: { max_tokens: 50 } });
  });

  it("keeps temperature (capped at 1) and top_p only when asked to", () => {
    expect(translate({ temperature: 1.5, top_p: 0.9 }, { keepSampling: true })).toMatchObject({
      request: { temperature: 1, top_p: 0.9 },
      notes: [],
    });
  });

  it("maps reasoning_effort (when asked) and a JSON schema response format to output_config", () => {
    const schema = { type: "object", properties: { a: { type: "string" } } };
    expect(
      translate(
        {
          reasoning_effort: "minimal",
          response_format: {
            type: "json_schema",
            json_schema: { name: "x", schema, strict: true },
          },
        },
        { forwardEffort: true },
      ),
    ).toMatchObject({
      request: { output_config: { effort: "low", format: { type: "json_schema", schema } } },
    });
    expect(translate({ reasoning_effort: "none" }, { forwardEffort: true })).not.toHaveProperty(
      "request.output_config",
    );
  });

  it("drops reasoning_effort by default, with a note", () => {
    const result = translate({ reasoning_effort: "high" });
    expect(result).toMatchObject({ notes: ["reasoning_effort dropped (effort not forwarded)"] });
    expect(result).not.toHaveProperty("request.output_config");
  });

  it("maps tool_choice auto, none and a named function", () => {
    const tools = [{ type: "function", function: { name: "f" } }];
    expect(translate({ tools, tool_choice: "auto" })).toMatchObject({
      request: {
        tools: [{ name: "f", input_schema: { type: "object", properties: {} } }],
        tool_choice: { type: "auto" },
      },
    });
    expect(translate({ tools, tool_choice: "none", parallel_tool_calls: false })).toMatchObject({
      request: { tool_choice: { type: "none" } },
    });
    expect(
      translate({ tools, tool_choice: { type: "function", function: { name: "f" } } }),
    ).toMatchObject({ request: { tool_choice: { type: "tool", name: "f" } } });
  });

  it("refuses what Anthropic cannot do: several choices, logprobs, audio, custom tools, other images", () => {
    expect(translate({ n: 2 })).toEqual({ ok: false, unsupported: "n=2 (several choices)" });
    expect(translate({ logprobs: true })).toEqual({ ok: false, unsupported: "logprobs" });
    expect(
      translate({
        messages: [
          {
            role: "user",
            content: [{ type: "input_audio", input_audio: { data: "UklGR", format: "wav" } }],
          },
        ],
      }),
    ).toEqual({ ok: false, unsupported: "audio input (messages[0].content[0])" });
    expect(
      translate({
        tools: [{ type: "custom", custom: { name: "sql", format: { type: "grammar" } } }],
      }),
    ).toEqual({ ok: false, unsupported: "custom tool (tools[0])" });
    expect(
      translate({
        messages: [
          {
            role: "user",
            content: [{ type: "image_url", image_url: { url: "data:image/bmp;base64,Qk0=" } }],
          },
        ],
      }),
    ).toEqual({ ok: false, unsupported: "image type image/bmp (messages[0].content[0])" });
  });
});
