import { completion, openaiRateLimited, serverError, streamed, usageFor } from "@429chain/testing";
import { APIError } from "openai";
import { describe, expect, it } from "vitest";
import { baseConfig, postChat, type TestGateway, useTestGateway } from "./harness";

const path = (p: string) => `/${p}/chat/completions`;

const t = useTestGateway((upstreamUrl) =>
  baseConfig({
    providers: [
      {
        id: "a",
        name: "A",
        type: "openai",
        apiKey: "sk-upstream-a",
        baseUrl: `${upstreamUrl}/a`,
      },
      { id: "b", name: "B", type: "groq", apiKey: "sk-upstream-b", baseUrl: `${upstreamUrl}/b` },
    ],
    chains: [
      {
        name: "fast",
        entries: [
          { provider: "a", model: "m-a" },
          { provider: "b", model: "m-b" },
        ],
      },
    ],
  }),
);

describe("POST /v1/chat/completions", () => {
  it("serves a non-streamed completion through the first entry, with our headers", async () => {
    t.upstream.route(path("a"), completion("m-a", "hello from a"));
    const { data, response } = await t.gw
      .openai()
      .chat.completions.create({ model: "fast", messages: [{ role: "user", content: "hi" }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe("hello from a");
    expect(response.headers.get("x-429chain-provider")).toBe("a/m-a");
    expect(response.headers.get("x-429chain-attempts")).toBe("1");
    expect(response.headers.get("x-request-id")).toMatch(/.+/);
    const sent = t.upstream.requests(path("a"))[0];
    expect(sent?.headers.authorization).toBe("Bearer sk-upstream-a");
    expect((sent!.body as { model: string }).model).toBe("m-a");
  });

  it("streams with the openai SDK and asks the upstream for usage", async () => {
    t.upstream.route(
      path("a"),
      streamed("m-a", ["Hel", "lo", "!"], { usage: usageFor("Hello!"), crlf: true }),
    );
    const stream = await t.gw.openai().chat.completions.create({
      model: "fast",
      stream: true,
      messages: [{ role: "user", content: "hi" }],
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    expect(text).toBe("Hello!");
    const sent = t.upstream.requests(path("a"))[0]?.body as {
      stream_options?: { include_usage?: boolean };
    };
    expect(sent.stream_options?.include_usage).toBe(true);
  });

  it("moves down the chain on a 429 and skips the cooling entry on the next request", async () => {
    t.upstream.route(path("a"), openaiRateLimited({ retryAfterS: 30 }));
    t.upstream.route(path("b"), completion("m-b", "from b"));
    const first = await t.gw
      .openai()
      .chat.completions.create({ model: "fast", messages: [{ role: "user", content: "x" }] })
      .withResponse();
    expect(first.response.headers.get("x-429chain-provider")).toBe("b/m-b");
    expect(first.response.headers.get("x-429chain-attempts")).toBe("2");
    const second = await t.gw
      .openai()
      .chat.completions.create({ model: "fast", messages: [{ role: "user", content: "x" }] })
      .withResponse();
    expect(second.response.headers.get("x-429chain-attempts")).toBe("1");
    expect(t.upstream.hits(path("a"))).toBe(1);
    expect(t.upstream.hits(path("b"))).toBe(2);
  });

  it("answers 429 with Retry-After and every attempt when the whole chain is rate-limited", async () => {
    t.upstream.route(path("a"), openaiRateLimited({ retryAfterS: 300 }));
    t.upstream.route(path("b"), openaiRateLimited({ retryAfterS: 100 }));
    const res = await post(t.gw, { model: "fast", messages: [{ role: "user", content: "x" }] });
    expect(res.status).toBe(429);
    // The earliest entry frees in 100 s; a second's leeway for the clock between.
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(99);
    expect(retryAfter).toBeLessThanOrEqual(100);
    const body = (await res.json()) as {
      error: { code: string; attempts: Array<{ provider: string; outcome: string }> };
    };
    expect(body.error.code).toBe("all_providers_exhausted");
    expect(body.error.attempts.map((a) => [a.provider, a.outcome])).toEqual([
      ["a", "rate_limited"],
      ["b", "rate_limited"],
    ]);
    // Known-exhausted entries are not called again.
    const again = await post(t.gw, { model: "fast", messages: [{ role: "user", content: "x" }] });
    expect(again.status).toBe(429);
    expect(t.upstream.hits(path("a")) + t.upstream.hits(path("b"))).toBe(2);
    const skipped = (await again.json()) as { error: { attempts: Array<{ outcome: string }> } };
    expect(skipped.error.attempts.map((a) => a.outcome)).toEqual([
      "skipped_cooldown",
      "skipped_cooldown",
    ]);
  });

  it("answers 502 listing the attempts when every entry fails", async () => {
    t.upstream.route(path("a"), serverError(500));
    t.upstream.route(path("b"), serverError(503));
    const res = await post(t.gw, { model: "fast", messages: [{ role: "user", content: "x" }] });
    expect(res.status).toBe(502);
    const body = (await res.json()) as {
      error: { attempts: Array<{ outcome: string; status: number }> };
    };
    expect(body.error.attempts.map((a) => [a.outcome, a.status])).toEqual([
      ["upstream_error", 500],
      ["upstream_error", 503],
    ]);
  });

  it("returns a request-caused 400 unchanged and does not waterfall it", async () => {
    const upstreamError = {
      error: {
        message: "bad tool schema",
        type: "invalid_request_error",
        param: "tools",
        code: null,
      },
    };
    t.upstream.route(path("a"), { status: 400, body: upstreamError });
    const res = await post(t.gw, { model: "fast", messages: [{ role: "user", content: "x" }] });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(upstreamError);
    expect(t.upstream.hits(path("b"))).toBe(0);
  });

  it("waterfalls a stream that fails before its first content", async () => {
    t.upstream.route(path("a"), { stream: { frames: [": keep-alive\n\n"], noDone: true } });
    t.upstream.route(path("b"), streamed("m-b", ["ok"]));
    const res = await post(t.gw, {
      model: "fast",
      stream: true,
      messages: [{ role: "user", content: "x" }],
    });
    expect(res.headers.get("x-429chain-provider")).toBe("b/m-b");
    expect(await res.text()).toContain("data: [DONE]");
  });

  it("ends a stream cut after its first content with an explicit error, and the SDK throws", async () => {
    t.upstream.route(path("a"), { stream: { frames: streamedFrames(), cutAfter: 2 } });
    const stream = await t.gw.openai().chat.completions.create({
      model: "fast",
      stream: true,
      messages: [{ role: "user", content: "x" }],
    });
    const consume = async () => {
      for await (const _ of stream) {
        // draining
      }
    };
    await expect(consume()).rejects.toBeInstanceOf(APIError);
  });
});

function streamedFrames(): string[] {
  const chunk = (content: string) =>
    `data: ${JSON.stringify({ id: "c", object: "chat.completion.chunk", created: 1, model: "m-a", choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
  return [chunk("one"), chunk("two"), chunk("three"), "data: [DONE]\n\n"];
}

function post(gateway: TestGateway, body: Record<string, unknown>): Promise<Response> {
  return postChat(gateway.url, body);
}
