import { PROVIDER_TYPES, type ProviderConfig, type ProviderType } from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import { buildUpstreamRequest } from "./build-upstream-request";
import { getProviderAdapter } from "./registry";

const provider = (type: ProviderType, extra: Partial<ProviderConfig> = {}): ProviderConfig => ({
  id: "p",
  name: "P",
  type,
  apiKey: "sk-upstream-key",
  enabled: true,
  ...(type === "generic-openai" ? { baseUrl: "http://llm.local/v1" } : {}),
  ...extra,
});
const chat = { messages: [{ role: "user", content: "hi" }] };
const CHAT_TYPES = PROVIDER_TYPES.filter((t) => getProviderAdapter(t).wire === "chat");

describe("buildUpstreamRequest", () => {
  it.each([
    [
      "openai",
      "https://api.openai.com/v1/chat/completions",
      "https://api.openai.com/v1/embeddings",
    ],
    ["groq", "https://api.groq.com/openai/v1/chat/completions", undefined],
    [
      "openrouter",
      "https://openrouter.ai/api/v1/chat/completions",
      "https://openrouter.ai/api/v1/embeddings",
    ],
    ["cerebras", "https://api.cerebras.ai/v1/chat/completions", undefined],
    [
      "google-ai",
      "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions",
      "https://generativelanguage.googleapis.com/v1beta/openai/embeddings",
    ],
    [
      "mistral",
      "https://api.mistral.ai/v1/chat/completions",
      "https://api.mistral.ai/v1/embeddings",
    ],
    ["generic-openai", "http://llm.local/v1/chat/completions", "http://llm.local/v1/embeddings"],
  ] as const)("%s: chat at %s, embeddings at %s, bearer auth", (type, chatUrl, embeddingsUrl) => {
    const input = { body: chat, model: "m", stream: false };
    const request = buildUpstreamRequest(provider(type), "chat", input);
    expect(request?.url).toBe(chatUrl);
    expect(request?.headers.authorization).toBe("Bearer sk-upstream-key");
    expect(request?.headers).not.toHaveProperty("x-api-key");
    expect(buildUpstreamRequest(provider(type), "embeddings", input)?.url).toBe(embeddingsUrl);
    expect(buildUpstreamRequest(provider(type), "messages", input)).toBeUndefined();
    expect(buildUpstreamRequest(provider(type), "countTokens", input)).toBeUndefined();
  });

  it("covers every provider type", () => {
    expect(CHAT_TYPES.length + 1).toBe(PROVIDER_TYPES.length);
  });

  it.each(CHAT_TYPES)("%s forwards no client header, its auth least of all", (type) => {
    const request = buildUpstreamRequest(provider(type), "chat", {
      body: chat,
      model: "m",
      stream: true,
      clientHeaders: {
        authorization: "Bearer client-key",
        "x-api-key": "client-key",
        "anthropic-beta": "x",
        "openai-organization": "org",
      },
    });
    expect(JSON.stringify(request)).not.toContain("client-key");
    expect(request?.headers).not.toHaveProperty("anthropic-beta");
    expect(request?.headers).not.toHaveProperty("openai-organization");
  });

  it("lets config headers override quirk headers but never auth or content negotiation", () => {
    const request = buildUpstreamRequest(
      provider("openrouter", {
        headers: {
          "X-Title": "mine",
          Authorization: "Bearer other",
          "Content-Type": "text/plain",
          "X-Custom": "1",
        },
      }),
      "chat",
      { body: chat, model: "m", stream: false },
    );
    expect(request?.headers).toEqual({
      "HTTP-Referer": "https://github.com/429chain/429chain",
      "X-Title": "mine",
      "X-Custom": "1",
      "content-type": "application/json",
      accept: "application/json",
      authorization: "Bearer sk-upstream-key",
    });
  });

  it("lets a configured anthropic-version win over the client's", () => {
    const request = buildUpstreamRequest(
      provider("anthropic", { headers: { "Anthropic-Version": "2023-06-01" } }),
      "messages",
      { body: {}, model: "m", stream: false, clientHeaders: { "anthropic-version": "2099-01-01" } },
    );
    expect(request?.headers).toMatchObject({ "Anthropic-Version": "2023-06-01" });
    expect(request?.headers).not.toHaveProperty("anthropic-version");
  });

  it("never mutates the caller's body or the provider", () => {
    const body = structuredClone(chat);
    const p = provider("mistral", { headers: { A: "1" } });
    const before = structuredClone(p);
    buildUpstreamRequest(p, "chat", { body, model: "m", stream: true });
    expect(body).toEqual(chat);
    expect(p).toEqual(before);
  });
});
