import {
  EMBEDDINGS_PROVIDER_TYPES,
  PROVIDER_TYPES,
  type ProviderConfig,
} from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import { getProviderAdapter, resolveBaseUrl } from "./registry";

const provider = (type: ProviderConfig["type"], baseUrl?: string): ProviderConfig => ({
  id: "p",
  name: "P",
  type,
  apiKey: "k",
  enabled: true,
  ...(baseUrl ? { baseUrl } : {}),
});

describe("getProviderAdapter", () => {
  it.each(PROVIDER_TYPES)("returns the %s adapter", (type) => {
    expect(getProviderAdapter(type).type).toBe(type);
  });
});

describe("embeddings", () => {
  it("the config's list of provider types with embeddings is what the adapters offer", () => {
    const offered = PROVIDER_TYPES.filter((t) => getProviderAdapter(t).endpoints.embeddings);
    expect([...EMBEDDINGS_PROVIDER_TYPES].sort()).toEqual([...offered].sort());
  });
});

describe("resolveBaseUrl", () => {
  it.each([
    ["openrouter", "https://openrouter.ai/api/v1"],
    ["groq", "https://api.groq.com/openai/v1"],
    ["cerebras", "https://api.cerebras.ai/v1"],
    ["openai", "https://api.openai.com/v1"],
    ["google-ai", "https://generativelanguage.googleapis.com/v1beta/openai"],
    ["mistral", "https://api.mistral.ai/v1"],
    ["anthropic", "https://api.anthropic.com"],
  ] as const)("defaults %s to %s", (type, url) => {
    expect(resolveBaseUrl(provider(type))).toBe(url);
  });

  it("prefers the configured URL and strips trailing slashes", () => {
    expect(resolveBaseUrl(provider("generic-openai", "http://localhost:8080/v1//"))).toBe(
      "http://localhost:8080/v1",
    );
  });

  it("throws for generic-openai without a baseUrl", () => {
    expect(() => resolveBaseUrl(provider("generic-openai"))).toThrow(/no baseUrl/);
  });
});
