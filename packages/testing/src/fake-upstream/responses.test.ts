import { describe, expect, it } from "vitest";
import { completion, rateLimitHeaders, streamFrames } from "./chat";
import {
  groqDailyTokens,
  groqRateLimited,
  openaiRateLimited,
  openrouterRateLimited,
} from "./openai-family-errors";
import { cerebrasRateLimited, geminiRateLimited } from "./other-provider-errors";

describe("response builders", () => {
  it("builds an OpenAI stream: role chunk, content, finish, usage, [DONE]", () => {
    const usage = { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 };
    const frames = streamFrames("m", ["a", "b"], { usage });
    expect(frames).toHaveLength(6);
    const data = frames.slice(0, 5).map((f) => JSON.parse(f.slice("data: ".length)));
    expect(data[0].choices[0].delta).toEqual({ role: "assistant", content: "" });
    expect(data.map((d) => d.choices[0]?.delta.content ?? null)).toEqual([
      "",
      "a",
      "b",
      null,
      null,
    ]);
    expect(data[3].choices[0].finish_reason).toBe("stop");
    expect(data[4]).toMatchObject({ choices: [], usage });
    expect(frames[5]).toBe("data: [DONE]\n\n");
    expect(streamFrames("m", [], { crlf: true })[0]).toMatch(/\r\n\r\n$/);
  });

  it("builds a completion echoing the model", () => {
    expect(completion("m", "hi").body).toMatchObject({
      model: "m",
      object: "chat.completion",
      choices: [{ message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
    });
  });

  it("emits only the given rate-limit headers", () => {
    expect(rateLimitHeaders({ remainingRequests: 0, resetRequests: "1s" })).toEqual({
      "x-ratelimit-remaining-requests": "0",
      "x-ratelimit-reset-requests": "1s",
    });
  });

  it("gives each provider its own 429 shape", () => {
    expect(openaiRateLimited({ retryAfterS: 2 }).headers).toMatchObject({ "retry-after": "2" });
    expect(groqRateLimited().headers?.["x-ratelimit-limit-requests"]).toBe("14400");
    expect(JSON.stringify(groqDailyTokens().body)).toContain("tokens per day (TPD)");
    const or = openrouterRateLimited({ daily: true, now: Date.UTC(2026, 0, 1, 12) });
    expect(or.headers?.["X-RateLimit-Reset"]).toBe(String(Date.UTC(2026, 0, 2)));
    expect(or.body).toMatchObject({
      error: { code: 429, metadata: { limit_source: "openrouter_free_tier_daily" } },
    });
    expect(cerebrasRateLimited().body).toMatchObject({ code: "request_quota_exceeded" });
    const gemini = geminiRateLimited({ perDay: true, retryDelay: "5s" }).body as unknown[];
    expect(Array.isArray(gemini)).toBe(true);
    expect(JSON.stringify(gemini)).toContain("PerDay");
    expect(JSON.stringify(gemini)).toContain('"retryDelay":"5s"');
  });
});
