import { completion, streamed, streamFrames } from "@429chain/testing";
import { describe, expect, it } from "vitest";
import { TEST_KEY } from "./harness";
import { ANTH, anthropicClient, hi, OA, useMessagesGateway } from "./messages-gateway";

const t = useMessagesGateway();
const client = (key?: string) => anthropicClient(t.gw.url, key);

describe("POST /v1/messages through an anthropic entry (native)", () => {
  it("sends the body as sent with the entry's model and the provider's key, and relays the answer", async () => {
    const message = await client().messages.create({
      model: "claude-sonnet-4-5-20250929",
      max_tokens: 100,
      messages: hi,
      metadata: { user_id: "u-1" },
    });
    expect(message.type).toBe("message");
    expect(message.content[0]).toMatchObject({
      type: "text",
      text: "Hello from the fake upstream.",
    });
    const sent = t.upstream.requests(ANTH)[0];
    expect(sent?.headers["x-api-key"]).toBe("sk-ant-upstream");
    expect(JSON.stringify(sent?.headers)).not.toContain(TEST_KEY);
    expect(sent?.body).toMatchObject({ model: "claude-real", metadata: { user_id: "u-1" } });
  });

  it("streams real Anthropic events, the SDK assembling the final message", async () => {
    const stream = client().messages.stream({
      model: "claude-sonnet-4-5",
      max_tokens: 100,
      messages: hi,
    });
    const final = await stream.finalMessage();
    expect(final.content[0]).toMatchObject({ text: "Hello from the fake upstream." });
    expect(final.usage.output_tokens).toBeGreaterThan(0);
  });
});

describe("POST /v1/messages through an OpenAI-compatible entry (translated)", () => {
  it("translates the request and the answer", async () => {
    t.upstream.route(OA, completion("gpt-x", "translated answer"));
    const message = await client().messages.create({
      model: "oa-only",
      max_tokens: 50,
      system: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }],
      messages: hi,
    });
    expect(message.content).toEqual([{ type: "text", text: "translated answer" }]);
    expect(message.stop_reason).toBe("end_turn");
    const sent = t.upstream.requests(OA)[0]?.body as { messages: Array<{ role: string }> };
    expect(sent.messages.map((m) => m.role)).toEqual(["system", "user"]);
  });

  it("streams a translated answer as Anthropic events", async () => {
    t.upstream.route(
      OA,
      streamed("gpt-x", ["stre", "amed"], {
        usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 },
      }),
    );
    const final = await client()
      .messages.stream({ model: "oa-only", max_tokens: 50, messages: hi })
      .finalMessage();
    expect(final.content).toEqual([{ type: "text", text: "streamed" }]);
    expect(final.usage.output_tokens).toBe(2);
  });

  it("round-trips a tool call: tool_calls become tool_use, and the tool_result goes back", async () => {
    const toolCall = {
      body: {
        id: "chatcmpl-1",
        object: "chat.completion",
        created: 1,
        model: "gpt-x",
        choices: [
          {
            index: 0,
            message: {
              role: "assistant",
              content: null,
              tool_calls: [
                {
                  id: "call_1",
                  type: "function",
                  function: { name: "get_weather", arguments: '{"city":"Paris"}' },
                },
              ],
            },
            finish_reason: "tool_calls",
          },
        ],
        usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25 },
      },
    };
    t.upstream.route(OA, toolCall, completion("gpt-x", "It is sunny."));
    const tools = [
      {
        name: "get_weather",
        description: "Weather of a city",
        input_schema: { type: "object" as const, properties: { city: { type: "string" } } },
      },
    ];
    const first = await client().messages.create({
      model: "oa-only",
      max_tokens: 50,
      tools,
      messages: [{ role: "user", content: "weather in Paris?" }],
    });
    expect(first.stop_reason).toBe("tool_use");
    const use = first.content.find((b) => b.type === "tool_use");
    expect(use).toMatchObject({ id: "call_1", name: "get_weather", input: { city: "Paris" } });
    const second = await client().messages.create({
      model: "oa-only",
      max_tokens: 50,
      tools,
      messages: [
        { role: "user", content: "weather in Paris?" },
        { role: "assistant", content: first.content },
        {
          role: "user",
          content: [{ type: "tool_result", tool_use_id: "call_1", content: "22C sunny" }],
        },
      ],
    });
    expect(second.content).toEqual([{ type: "text", text: "It is sunny." }]);
    const sent = t.upstream.requests(OA)[1]?.body as {
      messages: Array<{ role: string; tool_call_id?: string; content?: unknown }>;
    };
    expect(sent.messages.at(-1)).toMatchObject({ role: "tool", tool_call_id: "call_1" });
  });

  it("streams tool input as input_json_delta while the arguments arrive", async () => {
    const chunk = (delta: object, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "gpt-x", choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    t.upstream.route(OA, {
      stream: {
        frames: [
          chunk({ role: "assistant", content: "" }),
          chunk({
            tool_calls: [
              {
                index: 0,
                id: "call_9",
                type: "function",
                function: { name: "run", arguments: "" },
              },
            ],
          }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: '{"cmd":' } }] }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: '"ls"}' } }] }),
          chunk({}, "tool_calls"),
          "data: [DONE]\n\n",
        ],
      },
    });
    const deltas: string[] = [];
    const stream = client().messages.stream({
      model: "oa-only",
      max_tokens: 50,
      tools: [{ name: "run", input_schema: { type: "object" } }],
      messages: hi,
    });
    stream.on("inputJson", (partial) => deltas.push(partial));
    const final = await stream.finalMessage();
    expect(deltas.length).toBeGreaterThanOrEqual(2);
    expect(final.content).toEqual([
      { type: "tool_use", id: "call_9", name: "run", input: { cmd: "ls" } },
    ]);
    expect(final.stop_reason).toBe("tool_use");
  });

  it("sends images (base64) as image_url parts", async () => {
    t.upstream.route(OA, completion("gpt-x", "a cat"));
    await client().messages.create({
      model: "oa-only",
      max_tokens: 20,
      messages: [
        {
          role: "user",
          content: [
            {
              type: "image",
              source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" },
            },
            { type: "text", text: "what is it?" },
          ],
        },
      ],
    });
    const sent = t.upstream.requests(OA)[0]?.body as { messages: Array<{ content: unknown }> };
    expect(JSON.stringify(sent.messages)).toContain("data:image/png;base64,iVBORw0KGgo=");
  });

  it("ends a stream that fails after it started with an error the SDK raises", async () => {
    const [role, first] = streamFrames("gpt-x", ["partial"]);
    t.upstream.route(OA, { stream: { frames: [role ?? "", first ?? ""], cutAfter: 2 } });
    const stream = client().messages.stream({ model: "oa-only", max_tokens: 50, messages: hi });
    await expect(stream.finalMessage()).rejects.toThrow();
  });
});
