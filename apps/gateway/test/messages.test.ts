import {
  anthropicRateLimited,
  anthropicStreamed,
  completion,
  openaiRateLimited,
  streamed,
  streamFrames,
  waitFor,
} from "@429chain/testing";
import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { baseConfig, TEST_KEY, useTestGateway } from "./harness";

const ANTH = "/anth/v1/messages";
const OA = "/oa/chat/completions";

const t = useTestGateway((upstreamUrl) =>
  baseConfig({
    settings: {
      modelAliases: { "claude-*": "coding", "claude-haiku-*": "oa-only" },
      cooldownDefaultMs: 60_000,
    },
    providers: [
      {
        id: "anth",
        name: "Anthropic",
        type: "anthropic",
        apiKey: "sk-ant-upstream",
        baseUrl: `${upstreamUrl}/anth`,
      },
      {
        id: "oa",
        name: "OA",
        type: "openai",
        apiKey: "sk-oa-upstream",
        baseUrl: `${upstreamUrl}/oa`,
      },
    ],
    chains: [
      {
        name: "coding",
        entries: [
          { provider: "anth", model: "claude-real" },
          { provider: "oa", model: "gpt-x" },
        ],
      },
      { name: "oa-only", entries: [{ provider: "oa", model: "gpt-x" }] },
      { name: "anth-only", entries: [{ provider: "anth", model: "claude-real" }] },
    ],
  }),
);

function client(key = TEST_KEY) {
  return new Anthropic({ apiKey: key, baseURL: t.gw.url, maxRetries: 0 });
}

const hi = [{ role: "user" as const, content: "hi" }];

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

describe("falling back from an anthropic entry", () => {
  it("serves a Claude Code-shaped request by translation after the anthropic entry's 429", async () => {
    t.upstream.route(ANTH, anthropicRateLimited({ retryAfterS: 30 }));
    t.upstream.route(OA, completion("gpt-x", "fallback answer"));
    const tools = Array.from({ length: 12 }, (_, i) => ({
      name: `tool_${i}`,
      description: `tool number ${i}`,
      input_schema: { type: "object" as const, properties: { arg: { type: "string" } } },
    }));
    const { data, response } = await client()
      .messages.create({
        model: "claude-sonnet-4-5-20250929",
        max_tokens: 1_000,
        system: [
          { type: "text", text: "You are Claude Code.", cache_control: { type: "ephemeral" } },
          { type: "text", text: "Project rules.", cache_control: { type: "ephemeral" } },
        ],
        tools,
        thinking: { type: "enabled", budget_tokens: 500 },
        metadata: { user_id: "user_abc_session_1" },
        messages: [
          { role: "user", content: "fix the bug" },
          {
            role: "assistant",
            content: [
              { type: "thinking", thinking: "let me look", signature: "sig-from-anthropic" },
              { type: "text", text: "Looking." },
            ],
          },
          { role: "user", content: "go on" },
        ],
      })
      .withResponse();
    expect(data.content).toEqual([{ type: "text", text: "fallback answer" }]);
    expect(response.headers.get("x-429chain-provider")).toBe("oa/gpt-x");
    const sent = t.upstream.requests(OA)[0]?.body as Record<string, unknown>;
    expect(JSON.stringify(sent)).not.toContain("sig-from-anthropic");
    expect((sent.tools as unknown[]).length).toBe(12);
    expect(sent.user).toBe("user_abc_session_1");
    // The anthropic entry cools: the next request does not call it.
    await client().messages.create({ model: "claude-x", max_tokens: 10, messages: hi });
    expect(t.upstream.hits(ANTH)).toBe(1);
  });

  it("never sends an anthropic entry a thinking block that did not come from Anthropic", async () => {
    await client().messages.create({
      model: "anth-only",
      max_tokens: 100,
      messages: [
        { role: "user", content: "hi" },
        {
          role: "assistant",
          content: [
            { type: "thinking", thinking: "from elsewhere", signature: "" },
            { type: "text", text: "hello" },
          ],
        },
        { role: "user", content: "again" },
      ],
    });
    const sent = t.upstream.requests(ANTH)[0]?.body;
    expect(JSON.stringify(sent)).not.toContain("from elsewhere");
  });

  it("skips entries that cannot serve a server tool, and says so when none can", async () => {
    await client().messages.create({
      model: "coding",
      max_tokens: 50,
      tools: [{ type: "web_search_20250305", name: "web_search" }] as never,
      messages: hi,
    });
    expect(t.upstream.hits(ANTH)).toBe(1);
    const err = await client()
      .messages.create({
        model: "oa-only",
        max_tokens: 50,
        tools: [{ type: "web_search_20250305", name: "web_search" }] as never,
        messages: hi,
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect((err as Error).message).toContain("web_search");
    expect(t.upstream.hits(OA)).toBe(0);
  });
});

describe("errors in Anthropic's shape", () => {
  it("401 authentication_error for a wrong key, with a request-id", async () => {
    const res = await fetch(`${t.gw.url}/v1/messages`, {
      method: "POST",
      headers: {
        "x-api-key": "wrong",
        "content-type": "application/json",
        "anthropic-version": "2023-06-01",
      },
      body: JSON.stringify({ model: "coding", max_tokens: 5, messages: hi }),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("request-id")).toBeTruthy();
    expect(await res.json()).toMatchObject({
      type: "error",
      error: { type: "authentication_error" },
    });
  });

  it("400 invalid_request_error naming the field", async () => {
    const err = await client()
      .messages.create({ model: "coding", messages: hi } as never)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.BadRequestError);
    expect((err as Error).message).toContain("max_tokens");
  });

  it("429 rate_limit_error with an exact retry-after when the chain is out of quota", async () => {
    t.upstream.route(OA, openaiRateLimited({ retryAfterS: 7 }));
    const res = await fetch(`${t.gw.url}/v1/messages`, {
      method: "POST",
      headers: { "x-api-key": TEST_KEY, "content-type": "application/json" },
      body: JSON.stringify({ model: "oa-only", max_tokens: 5, messages: hi }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(6);
    expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(7);
    expect(await res.json()).toMatchObject({ type: "error", error: { type: "rate_limit_error" } });
  });

  it("529 overloaded_error when every entry failed otherwise", async () => {
    t.upstream.route(OA, { status: 500, body: { error: { message: "boom" } } });
    const res = await fetch(`${t.gw.url}/v1/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "oa-only", max_tokens: 5, messages: hi }),
    });
    expect(res.status).toBe(529);
    expect(await res.json()).toMatchObject({ error: { type: "overloaded_error" } });
  });
});

describe("count_tokens and models", () => {
  it("counts exactly through an anthropic entry, and estimates when it is cooling", async () => {
    const exact = await client().messages.countTokens({ model: "coding", messages: hi });
    expect(exact.input_tokens).toBe(1);
    expect(t.upstream.hits("/anth/v1/messages/count_tokens")).toBe(1);
    t.upstream.route(ANTH, anthropicRateLimited({ retryAfterS: 30 }));
    t.upstream.route(OA, completion("gpt-x", "x"));
    await client().messages.create({ model: "coding", max_tokens: 5, messages: hi });
    const estimated = await client().messages.countTokens({ model: "coding", messages: hi });
    expect(estimated.input_tokens).toBeGreaterThan(0);
    expect(t.upstream.hits("/anth/v1/messages/count_tokens")).toBe(1);
  });

  it("lists models in Anthropic's shape when asked with anthropic-version", async () => {
    const page = await client().models.list();
    const ids = page.data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(["coding", "oa-only", "anth/claude-real"]));
    expect(page.data[0]).toMatchObject({ type: "model", display_name: expect.any(String) });
  });

  it("records the messages API in the metrics", async () => {
    await client().messages.create({ model: "anth-only", max_tokens: 5, messages: hi });
    await waitFor(async () => {
      const text = await (await fetch(`${t.gw.url}/metrics`)).text();
      return text.includes('api="messages"');
    });
  });
});

describe("the openai SDK through an anthropic entry", () => {
  it("translates a chat request to Anthropic and the answer back, streaming included", async () => {
    const openai = t.gw.openai();
    const answer = await openai.chat.completions.create({
      model: "anth-only",
      messages: [
        { role: "system", content: "be nice" },
        { role: "user", content: "hi" },
      ],
    });
    expect(answer.choices[0]?.message.content).toBe("Hello from the fake upstream.");
    const sent = t.upstream.requests(ANTH)[0]?.body as Record<string, unknown>;
    expect(sent.system).toBeDefined();
    expect(sent.max_tokens).toBeGreaterThan(0);
    t.upstream.route(ANTH, anthropicStreamed("claude-real", ["one ", "two"]));
    const stream = await openai.chat.completions.create({
      model: "anth-only",
      messages: hi,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: unknown;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta?.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe("one two");
    expect(usage).toMatchObject({ completion_tokens: expect.any(Number) });
  });
});
