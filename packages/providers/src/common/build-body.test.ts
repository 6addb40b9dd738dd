import type { ChatCompletionRequest } from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import { buildBody } from "./build-body";
import { mergeHeaders } from "./merge-headers";

const request: ChatCompletionRequest = {
  model: "my-chain",
  messages: [{ role: "user", content: "hi" }],
  temperature: 0.2,
  stream_options: { include_usage: false, continuous_usage_stats: true },
};
const input = (stream: boolean) => ({ body: request, model: "gpt-4o-mini", stream });

describe("buildBody", () => {
  it("replaces the model, sets stream and adds include_usage, keeping other options", () => {
    expect(buildBody("chat", input(true), true)).toEqual({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
      temperature: 0.2,
      stream: true,
      stream_options: { include_usage: true, continuous_usage_stats: true },
    });
  });

  it("drops stream_options when not streaming", () => {
    const body = buildBody("chat", input(false), true);
    expect(body.stream).toBe(false);
    expect(body).not.toHaveProperty("stream_options");
  });

  it("passes the client's stream_options through when usage is not requested", () => {
    expect(buildBody("chat", input(true), false).stream_options).toEqual(request.stream_options);
  });

  it("never mutates the input", () => {
    const snapshot = structuredClone(request);
    buildBody("chat", input(true), true);
    expect(request).toEqual(snapshot);
  });

  it("gives a Messages body its model and stream, and nothing chat-specific", () => {
    const body = { model: "alias", max_tokens: 5, messages: [] };
    expect(buildBody("messages", { body, model: "claude-x", stream: true }, true)).toEqual({
      model: "claude-x",
      max_tokens: 5,
      messages: [],
      stream: true,
    });
  });

  it.each(["countTokens", "embeddings"] as const)("never streams %s", (op) => {
    const body = { model: "a", input: "x", stream: true, stream_options: { include_usage: true } };
    expect(buildBody(op, { body, model: "b", stream: true }, true)).toEqual({
      model: "b",
      input: "x",
    });
  });
});

describe("mergeHeaders", () => {
  it("lets configured headers win case-insensitively", () => {
    expect(mergeHeaders({ "X-Title": "429chain", A: "1" }, { "x-title": "mine" })).toEqual({
      A: "1",
      "x-title": "mine",
    });
  });
});
