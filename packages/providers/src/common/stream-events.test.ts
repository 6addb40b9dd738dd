import { describe, expect, it } from "vitest";
import { classifyStreamEvent } from "./stream-events";

const NOW = 1_780_000_000_000;
const msg = (data: unknown, event?: string) => ({
  event,
  data: typeof data === "string" ? data : JSON.stringify(data),
});

describe("classifyStreamEvent", () => {
  it("recognises [DONE]", () => {
    expect(classifyStreamEvent(msg("[DONE]"), NOW)).toEqual({ kind: "done" });
  });

  it("marks content chunks", () => {
    const signal = classifyStreamEvent(
      msg({ choices: [{ index: 0, delta: { content: "Hi" }, finish_reason: null }] }),
      NOW,
    );
    expect(signal).toMatchObject({ kind: "chunk", hasContent: true });
    expect(signal).not.toHaveProperty("usage");
  });

  it("does not count a role-only first chunk as content", () => {
    const signal = classifyStreamEvent(
      msg({ choices: [{ delta: { role: "assistant", content: "" }, finish_reason: null }] }),
      NOW,
    );
    expect(signal).toMatchObject({ kind: "chunk", hasContent: false });
  });

  it.each([
    [{ reasoning_content: "thinking" }, null],
    [{ reasoning: "thinking" }, null],
    [{ tool_calls: [{ index: 0, function: { name: "f" } }] }, null],
    [{ function_call: { name: "f" } }, null],
    [{}, "stop"],
  ])("counts delta %j / finish %j as content", (delta, finish) => {
    const signal = classifyStreamEvent(msg({ choices: [{ delta, finish_reason: finish }] }), NOW);
    expect(signal).toMatchObject({ kind: "chunk", hasContent: true });
  });

  it("captures usage from the final usage-only chunk", () => {
    const signal = classifyStreamEvent(
      msg({ choices: [], usage: { prompt_tokens: 12, completion_tokens: 30, total_tokens: 42 } }),
      NOW,
    );
    expect(signal).toMatchObject({
      kind: "chunk",
      hasContent: false,
      usage: { promptTokens: 12, completionTokens: 30, totalTokens: 42 },
    });
  });

  it("turns an OpenAI-style error frame into an upstream error", () => {
    const signal = classifyStreamEvent(
      msg({ error: { message: "The server had an error", type: "server_error" } }),
      NOW,
    );
    expect(signal).toEqual({
      kind: "error",
      outcome: {
        kind: "upstream_error",
        reason: "stream error: server_error: The server had an error",
        midStream: true,
      },
    });
  });

  it("turns a Groq `event: error` rate limit into rate_limited", () => {
    const signal = classifyStreamEvent(
      msg(
        {
          error: {
            message: "Rate limit reached on tokens per minute (TPM). Please try again in 7.66s.",
            type: "tokens",
            code: "rate_limit_exceeded",
          },
        },
        "error",
      ),
      NOW,
    );
    expect(signal).toEqual({
      kind: "error",
      outcome: {
        kind: "rate_limited",
        scope: "entry",
        retryAt: NOW + 7660,
        reason: "stream error: rate_limit_exceeded: tokens per minute",
      },
    });
  });

  it("detects OpenRouter's error chunk with finish_reason error", () => {
    const signal = classifyStreamEvent(
      msg({
        error: { code: 502, message: "Provider disconnected" },
        choices: [{ delta: { content: "" }, finish_reason: "error" }],
      }),
      NOW,
    );
    expect(signal).toMatchObject({
      kind: "error",
      outcome: { kind: "upstream_error", status: 502, midStream: true },
    });
  });

  it.each(["not json", '[{"candidates":[]}]', '"text"'])("rejects non-object data %j", (data) => {
    const signal = classifyStreamEvent(msg(data), NOW);
    expect(signal).toMatchObject({
      kind: "error",
      outcome: { kind: "upstream_error", midStream: true },
    });
  });

  it("ignores empty data and objects without choices", () => {
    expect(classifyStreamEvent(msg(""), NOW)).toEqual({ kind: "ignore" });
    expect(classifyStreamEvent(msg({ type: "ping" }), NOW)).toEqual({ kind: "ignore" });
  });
});
