import {
  anthropicRateLimited,
  anthropicStreamed,
  completion,
  openaiRateLimited,
  waitFor,
} from "@429chain/testing";
import Anthropic from "@anthropic-ai/sdk";
import { describe, expect, it } from "vitest";
import { TEST_KEY } from "./harness";
import { ANTH, anthropicClient, hi, OA, useMessagesGateway } from "./messages-gateway";

const t = useMessagesGateway();
const client = (key?: string) => anthropicClient(t.gw.url, key);

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
