import {
  completion,
  embeddingsAnswer,
  openaiRateLimited,
  sseFrame,
  streamed,
  streamFrames,
} from "@429chain/testing";
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { baseConfig, useTestGateway } from "./harness";

const A = "/a/chat/completions";
const B = "/b/chat/completions";
const EA = "/ea/embeddings";
const EB = "/eb/embeddings";

const t = useTestGateway((upstreamUrl) =>
  baseConfig({
    providers: [
      { id: "a", name: "A", type: "openai", apiKey: "ka", baseUrl: `${upstreamUrl}/a` },
      { id: "b", name: "B", type: "openai", apiKey: "kb", baseUrl: `${upstreamUrl}/b` },
      { id: "ea", name: "EA", type: "openai", apiKey: "kea", baseUrl: `${upstreamUrl}/ea` },
      { id: "eb", name: "EB", type: "mistral", apiKey: "keb", baseUrl: `${upstreamUrl}/eb` },
    ],
    chains: [
      {
        name: "ab",
        entries: [
          { provider: "a", model: "m" },
          { provider: "b", model: "m" },
        ],
      },
      {
        name: "embed",
        kind: "embeddings",
        dimensions: 8,
        entries: [
          { provider: "ea", model: "embed-small" },
          { provider: "eb", model: "embed-mistral" },
        ],
      },
    ],
  }),
);

const usage = { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 };

function toolCallCompletion(name: string, args: string) {
  return {
    body: {
      id: "chatcmpl-t",
      object: "chat.completion",
      created: 1,
      model: "m",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: null,
            tool_calls: [{ id: "call_7", type: "function", function: { name, arguments: args } }],
          },
          finish_reason: "tool_calls",
        },
      ],
      usage,
    },
  };
}

describe("POST /v1/responses with the openai SDK", () => {
  it("answers responses.create through the chain, after the first entry's 429", async () => {
    t.upstream.route(A, openaiRateLimited({ retryAfterS: 60 }));
    t.upstream.route(B, completion("m", "hello from b"));
    const openai = t.gw.openai();
    const { data, response } = await openai.responses
      .create({ model: "ab", input: "hi", instructions: "be brief" })
      .withResponse();
    expect(data.output_text).toBe("hello from b");
    expect(data.id).toMatch(/^resp_/);
    expect(data.status).toBe("completed");
    expect(response.headers.get("x-429chain-provider")).toBe("b/m");
    const sent = t.upstream.requests(B)[0]?.body as { messages: Array<{ role: string }> };
    expect(sent.messages.map((m) => m.role)).toEqual(["system", "user"]);
    // The first entry cools: the next request does not call it again.
    await openai.responses.create({ model: "ab", input: "again" });
    expect(t.upstream.hits(A)).toBe(1);
  });

  it("round-trips a function call", async () => {
    const tools = [
      {
        type: "function" as const,
        name: "lookup",
        parameters: { type: "object", properties: { q: { type: "string" } } },
        strict: false,
      },
    ];
    t.upstream.route(A, toolCallCompletion("lookup", '{"q":"x"}'), completion("m", "found it"));
    const openai = t.gw.openai();
    const first = await openai.responses.create({ model: "ab", input: "find x", tools });
    const call = first.output.find((o) => o.type === "function_call");
    expect(call).toMatchObject({ call_id: "call_7", name: "lookup", arguments: '{"q":"x"}' });
    const second = await openai.responses.create({
      model: "ab",
      tools,
      input: [
        { role: "user", content: "find x" },
        { type: "function_call", call_id: "call_7", name: "lookup", arguments: '{"q":"x"}' },
        { type: "function_call_output", call_id: "call_7", output: "x is here" },
      ],
    });
    expect(second.output_text).toBe("found it");
    const sent = t.upstream.requests(A)[1]?.body as { messages: Array<{ role: string }> };
    expect(sent.messages.at(-1)).toMatchObject({ role: "tool", tool_call_id: "call_7" });
  });

  it("streams text with responses.stream()", async () => {
    t.upstream.route(A, streamed("m", ["str", "eam"], { usage }));
    const stream = t.gw.openai().responses.stream({ model: "ab", input: "hi" });
    const deltas: string[] = [];
    stream.on("response.output_text.delta", (e) => deltas.push(e.delta));
    const final = await stream.finalResponse();
    expect(deltas.join("")).toBe("stream");
    expect(final.output_text).toBe("stream");
    expect(final.usage?.total_tokens).toBe(10);
  });

  it("streams function-call arguments", async () => {
    const chunk = (delta: object, finish: string | null = null) =>
      sseFrame({
        id: "c",
        object: "chat.completion.chunk",
        created: 1,
        model: "m",
        choices: [{ index: 0, delta, finish_reason: finish }],
      });
    t.upstream.route(A, {
      stream: {
        frames: [
          chunk({ role: "assistant", content: "" }),
          chunk({
            tool_calls: [
              { index: 0, id: "call_s", type: "function", function: { name: "f", arguments: "" } },
            ],
          }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a":' } }] }),
          chunk({ tool_calls: [{ index: 0, function: { arguments: "1}" } }] }),
          chunk({}, "tool_calls"),
          "data: [DONE]\n\n",
        ],
      },
    });
    const stream = t.gw.openai().responses.stream({
      model: "ab",
      input: "call f",
      tools: [{ type: "function", name: "f", parameters: { type: "object" }, strict: false }],
    });
    const deltas: string[] = [];
    stream.on("response.function_call_arguments.delta", (e) => deltas.push(e.delta));
    const final = await stream.finalResponse();
    expect(deltas.join("")).toBe('{"a":1}');
    expect(final.output.find((o) => o.type === "function_call")).toMatchObject({
      name: "f",
      arguments: '{"a":1}',
    });
  });

  it("raises in the SDK when the stream fails after it started", async () => {
    const [role, first] = streamFrames("m", ["partial"]);
    t.upstream.route(A, { stream: { frames: [role ?? "", first ?? ""], cutAfter: 2 } });
    const stream = t.gw.openai().responses.stream({ model: "ab", input: "hi" });
    await expect(stream.finalResponse()).rejects.toThrow();
  });

  it("400s previous_response_id and built-in tools, naming them", async () => {
    const openai = t.gw.openai();
    const stateful = await openai.responses
      .create({ model: "ab", input: "hi", previous_response_id: "resp_1" })
      .catch((e: unknown) => e);
    expect(stateful).toBeInstanceOf(OpenAI.BadRequestError);
    expect((stateful as Error).message).toMatch(/previous_response_id/);
    const builtIn = await openai.responses
      .create({ model: "ab", input: "hi", tools: [{ type: "web_search" }] })
      .catch((e: unknown) => e);
    expect(builtIn).toBeInstanceOf(OpenAI.BadRequestError);
    expect((builtIn as Error).message).toMatch(/web_search/);
  });
});

describe("POST /v1/embeddings with the openai SDK", () => {
  it("answers the SDK's default (base64) and float, naming the model that served", async () => {
    const openai = t.gw.openai();
    const base64 = await openai.embeddings.create({ model: "embed", input: "hello" });
    expect(base64.data[0]?.embedding).toHaveLength(8);
    expect(base64.model).toBe("embed-small");
    const float = await openai.embeddings.create({
      model: "embed",
      input: ["one", "two"],
      encoding_format: "float",
    });
    expect(float.data.map((d) => d.embedding.length)).toEqual([8, 8]);
    // Base64 decodes to the same float32 values the float answer carries.
    const again = await openai.embeddings.create({
      model: "embed",
      input: "hello",
      encoding_format: "float",
    });
    expect(base64.data[0]?.embedding).toEqual(again.data[0]?.embedding.map((v) => Math.fround(v)));
  });

  it("passes dimensions through, and refuses dimensions the chain does not serve", async () => {
    const openai = t.gw.openai();
    await openai.embeddings.create({ model: "embed", input: "x", dimensions: 8 });
    const sent = t.upstream.requests(EA)[0]?.body as { dimensions?: number } | undefined;
    expect(sent?.dimensions).toBe(8);
    const wrong = await openai.embeddings
      .create({ model: "embed", input: "x", dimensions: 4 })
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it("moves on after a 429 and when an entry answers vectors of another length", async () => {
    const openai = t.gw.openai();
    t.upstream.route(EA, openaiRateLimited({ retryAfterS: 60 }));
    const after429 = await openai.embeddings.create({ model: "embed", input: "a" }).withResponse();
    expect(after429.response.headers.get("x-429chain-provider")).toBe("eb/embed-mistral");
    expect(after429.data.model).toBe("embed-mistral");
    await t.gw.gateway.quota.clearCooldown({ provider: "ea", model: "embed-small" });
    t.upstream.route(EA, embeddingsAnswer("embed-small", ["a"], 16));
    const mismatch = await openai.embeddings.create({ model: "embed", input: "a" }).withResponse();
    expect(mismatch.response.headers.get("x-429chain-provider")).toBe("eb/embed-mistral");
    expect(mismatch.data.data[0]?.embedding).toHaveLength(8);
    expect(t.upstream.hits(EB)).toBe(2);
  });

  it("keeps chat and embeddings chains apart, naming the chain", async () => {
    const openai = t.gw.openai();
    const chatOnEmbed = await openai.chat.completions
      .create({ model: "embed", messages: [{ role: "user", content: "hi" }] })
      .catch((e: unknown) => e);
    expect(chatOnEmbed).toBeInstanceOf(OpenAI.BadRequestError);
    expect((chatOnEmbed as Error).message).toContain("'embed'");
    const embedOnChat = await openai.embeddings
      .create({ model: "ab", input: "x" })
      .catch((e: unknown) => e);
    expect(embedOnChat).toBeInstanceOf(OpenAI.BadRequestError);
    expect((embedOnChat as Error).message).toContain("'ab'");
    expect(t.upstream.hits(A)).toBe(0);
  });

  it("lists each chain's kind in /v1/models", async () => {
    const page = await t.gw.openai().models.list();
    const embed = page.data.find((m) => m.id === "embed") as unknown as {
      kind: string;
      dimensions: number;
    };
    expect(embed).toMatchObject({ kind: "embeddings", dimensions: 8 });
  });
});
