import type { ChatCompletionRequest, ProviderConfig } from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import { buildBody } from "./build-body";
import { mergeHeaders } from "./merge-headers";

const provider: ProviderConfig = {
  id: "p",
  name: "P",
  type: "openai",
  apiKey: "k",
  enabled: true,
};
const request: ChatCompletionRequest = {
  model: "my-chain",
  messages: [{ role: "user", content: "hi" }],
  temperature: 0.2,
  stream_options: { include_usage: false, continuous_usage_stats: true },
};

describe("buildBody", () => {
  it("replaces the model, sets stream and adds include_usage, keeping other options", () => {
    const body = buildBody({ request, model: "gpt-4o-mini", stream: true, provider }, true);
    expect(body).toEqual({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
      temperature: 0.2,
      stream: true,
      stream_options: { include_usage: true, continuous_usage_stats: true },
    });
  });

  it("drops stream_options when not streaming", () => {
    const body = buildBody({ request, model: "m", stream: false, provider }, true);
    expect(body.stream).toBe(false);
    expect(body).not.toHaveProperty("stream_options");
  });

  it("passes the client's stream_options through when usage is not requested", () => {
    const body = buildBody({ request, model: "m", stream: true, provider }, false);
    expect(body.stream_options).toEqual(request.stream_options);
  });

  it("never mutates the input", () => {
    const snapshot = structuredClone(request);
    buildBody({ request, model: "m", stream: true, provider }, true);
    expect(request).toEqual(snapshot);
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
