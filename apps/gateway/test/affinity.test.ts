import { openaiRateLimited, serverError, TEST_REDIS_URL } from "@429chain/testing";
import Anthropic from "@anthropic-ai/sdk";
import { Redis } from "ioredis";
import type OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { baseConfig, postChat, TEST_KEY, upstreamProviders, useTestGateway } from "./harness";

const A = "/a/chat/completions";
const B = "/b/chat/completions";
const C = "/c/chat/completions";
const OTHER_KEY = "sk-test-other-client-key";

type Messages = OpenAI.Chat.Completions.ChatCompletionMessageParam[];

/** Turn one of a conversation and the same conversation one exchange later. */
function conversation(topic: string): { first: Messages; second: Messages } {
  const first: Messages = [
    { role: "system", content: "You are terse." },
    { role: "user", content: `Tell me about ${topic}.` },
  ];
  return {
    first,
    second: [
      ...first,
      { role: "assistant", content: `${topic} is a topic.` },
      { role: "user", content: "And more?" },
    ],
  };
}

/** Providers a, b, c; chains `sticky` (with affinity) and `plain` over a, b, c in that order. */
function configFor(upstreamUrl: string, disabled?: string) {
  return baseConfig({
    settings: { apiKeys: [TEST_KEY, OTHER_KEY] },
    providers: upstreamProviders(upstreamUrl, ["a", "b", "c"]),
    chains: ["sticky", "plain"].map((name) => ({
      name,
      ...(name === "sticky" ? { affinity: "conversation" as const } : {}),
      entries: ["a", "b", "c"].map((provider) => ({
        provider,
        model: "m",
        enabled: provider !== disabled,
      })),
    })),
  });
}

describe.each([
  ["memory", false],
  ["redis", true],
])("conversation affinity (%s state)", (_mode, redis) => {
  const t = useTestGateway((upstreamUrl) => configFor(upstreamUrl), { redis });

  /** Sends one chat turn; the entry that served it. */
  async function chat(
    messages: Messages,
    opts: { model?: string; key?: string; extra?: Record<string, unknown>; headers?: object } = {},
  ): Promise<string | null> {
    const { response } = await t.gw
      .openai(opts.key)
      .chat.completions.create(
        { model: opts.model ?? "sticky", messages, ...opts.extra },
        opts.headers ? { headers: opts.headers as Record<string, string> } : {},
      )
      .withResponse();
    return response.headers.get("x-429chain-provider");
  }

  async function affinityCount(result: "hit" | "miss" | "moved"): Promise<number> {
    const metric = await t.gw.gateway.metrics.affinity.get();
    const value = metric.values.find(
      (v) => v.labels.chain === "sticky" && v.labels.result === result,
    );
    return value?.value ?? 0;
  }

  it("sends the next turn to the entry that served the last, though an earlier entry is available again", async () => {
    const { first, second } = conversation("rivers");
    // A 500 moves the waterfall on without cooling `a` down: it is available for turn two.
    t.upstream.route(A, serverError(500));
    expect(await chat(first)).toBe("b/m");
    t.upstream.reset();
    expect(await chat(second)).toBe("b/m");
    expect(await chat([...second, { role: "user", content: "Thanks." }])).toBe("b/m");
    expect(t.upstream.hits(A)).toBe(0);
  });

  it("moves on when the conversation's entry is rate limited, and the next turn stays on the new entry", async () => {
    const { first, second } = conversation("lakes");
    t.upstream.route(A, serverError(500));
    expect(await chat(first)).toBe("b/m");
    const hits = await affinityCount("hit");
    const misses = await affinityCount("miss");
    const moves = await affinityCount("moved");

    // b answers 429; the rest of the chain keeps its order: a (fails once more), then c.
    t.upstream.route(B, openaiRateLimited({ retryAfterS: 30 }));
    t.upstream.route(A, serverError(500));
    expect(await chat(second)).toBe("c/m");
    expect([t.upstream.hits(B), t.upstream.hits(A), t.upstream.hits(C)]).toEqual([2, 2, 1]);

    const third: Messages = [...second, { role: "assistant", content: "Yes." }];
    third.push({ role: "user", content: "Go on." });
    // a answers again and b is cooling down: the conversation is c's now.
    t.upstream.reset();
    expect(await chat(third)).toBe("c/m");
    expect(t.upstream.hits(A)).toBe(0);
    expect(await affinityCount("miss")).toBe(misses);
    expect(await affinityCount("moved")).toBe(moves + 1);
    expect(await affinityCount("hit")).toBe(hits + 1);
  });

  it("passes over the conversation's entry without calling it while it cools down or is disabled", async () => {
    const { first, second } = conversation("dunes");
    t.upstream.route(A, serverError(500));
    expect(await chat(first)).toBe("b/m");
    t.upstream.reset();
    // A request for b itself cools b down for 30 s.
    t.upstream.route(B, openaiRateLimited({ retryAfterS: 30 }));
    expect((await postChat(t.gw.url, { model: "b/m" })).status).toBe(429);
    expect(t.upstream.hits(B)).toBe(1);
    expect(await chat(second)).toBe("a/m");
    expect(t.upstream.hits(B)).toBe(1);

    // Back on a; with a disabled, the conversation goes on down the chain.
    await t.gw.writeConfig(configFor(t.upstream.url, "a"));
    try {
      expect(await chat(second)).toBe("c/m");
    } finally {
      await t.gw.writeConfig(configFor(t.upstream.url));
    }
  });

  it("remembers the entry a streamed turn came from", async () => {
    const { first, second } = conversation("glaciers");
    t.upstream.route(A, serverError(500));
    const { data: stream, response } = await t.gw
      .openai()
      .chat.completions.create({ model: "sticky", messages: first, stream: true })
      .withResponse();
    for await (const _chunk of stream) {
      // drained
    }
    expect(response.headers.get("x-429chain-provider")).toBe("b/m");
    t.upstream.reset();
    expect(await chat(second)).toBe("b/m");
  });

  it("keeps conversations apart: another opening or another client key starts at the top", async () => {
    const { first, second } = conversation("mountains");
    t.upstream.route(A, serverError(500));
    expect(await chat(first)).toBe("b/m");
    t.upstream.reset();
    expect(await chat(conversation("valleys").second)).toBe("a/m");
    expect(await chat(second, { key: OTHER_KEY })).toBe("a/m");
    expect(await chat(second)).toBe("b/m");
  });

  /** Affinity keys in Redis under this gateway's prefix (none in memory mode). */
  async function storedConversations(): Promise<number> {
    if (!redis) return 0;
    const client = new Redis(TEST_REDIS_URL);
    try {
      return (await client.keys(`${t.gw.prefix}aff:*`)).length;
    } finally {
      client.disconnect();
    }
  }

  it("leaves a chain without affinity unchanged: every request starts at the top", async () => {
    const { first, second } = conversation("forests");
    const stored = await storedConversations();
    t.upstream.route(A, serverError(500));
    expect(await chat(first, { model: "plain" })).toBe("b/m");
    t.upstream.reset();
    expect(await chat(second, { model: "plain" })).toBe("a/m");
    const counted = (await t.gw.gateway.metrics.affinity.get()).values;
    expect(counted.filter((v) => v.labels.chain === "plain")).toEqual([]);
    expect(await storedConversations()).toBe(stored);
  });

  it("takes an explicit id (the x-429chain-session header, prompt_cache_key, user) over the messages", async () => {
    t.upstream.route(A, serverError(500));
    const header = { "x-429chain-session": "session-42" };
    expect(await chat(conversation("tides").first, { headers: header })).toBe("b/m");
    t.upstream.route(A, serverError(500));
    expect(await chat(conversation("reefs").first, { extra: { user: "end-user-7" } })).toBe("b/m");
    t.upstream.reset();
    // Other openings, the same ids: the same conversations.
    expect(await chat(conversation("waves").first, { headers: header })).toBe("b/m");
    expect(await chat(conversation("shoals").first, { extra: { user: "end-user-7" } })).toBe("b/m");
    // prompt_cache_key names the conversation before user does: this one is new.
    const keyed = { prompt_cache_key: "cache-1", user: "end-user-7" };
    expect(await chat(conversation("shoals").first, { extra: keyed })).toBe("a/m");
  });

  it("serves the Responses API by the same rule: a string opening and its replay as items are one conversation", async () => {
    t.upstream.route(A, serverError(500));
    const openai = t.gw.openai();
    const first = await openai.responses
      .create({ model: "sticky", instructions: "Be brief.", input: "Name a planet." })
      .withResponse();
    expect(first.response.headers.get("x-429chain-provider")).toBe("b/m");
    t.upstream.reset();
    const second = await openai.responses
      .create({
        model: "sticky",
        instructions: "Be brief.",
        input: [
          { role: "user", content: [{ type: "input_text", text: "Name a planet." }] },
          { role: "assistant", content: "Mars." },
          { role: "user", content: "Another." },
        ],
      })
      .withResponse();
    expect(second.response.headers.get("x-429chain-provider")).toBe("b/m");
  });

  it("serves Anthropic Messages by the same rule, whichever message carries the cache breakpoint", async () => {
    t.upstream.route(A, serverError(500));
    const anthropic = new Anthropic({ apiKey: TEST_KEY, baseURL: t.gw.url, maxRetries: 0 });
    const system = "You review code.";
    const cached = { type: "ephemeral" as const };
    const first = await anthropic.messages
      .create({
        model: "sticky",
        max_tokens: 64,
        system,
        messages: [
          { role: "user", content: [{ type: "text", text: "Review a.ts", cache_control: cached }] },
        ],
      })
      .withResponse();
    expect(first.response.headers.get("x-429chain-provider")).toBe("b/m");
    t.upstream.reset();
    const second = await anthropic.messages
      .create({
        model: "sticky",
        max_tokens: 64,
        system,
        messages: [
          { role: "user", content: [{ type: "text", text: "Review a.ts" }] },
          { role: "assistant", content: "Looks fine." },
          { role: "user", content: [{ type: "text", text: "And b.ts?", cache_control: cached }] },
        ],
      })
      .withResponse();
    expect(second.response.headers.get("x-429chain-provider")).toBe("b/m");
  });
});
