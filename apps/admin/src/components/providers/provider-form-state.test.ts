import type { ProviderView } from "@429chain/db";
import { describe, expect, it } from "vitest";
import { baseUrlHint, formPayload, initialFormState, isCredentialRow } from "./provider-form-state";

const view: ProviderView = {
  id: "or",
  name: "OpenRouter",
  type: "openrouter",
  baseUrl: null,
  maskedApiKey: "••••abcd",
  headers: { "HTTP-Referer": "https://app.example", Authorization: "••••5678" },
  credentialHeaders: ["Authorization"],
  timeout: null,
  timeouts: null,
  rateLimits: null,
  modelRateLimits: null,
  enabled: true,
  free: false,
  usedByChains: [],
};

describe("provider form headers", () => {
  it("starts a stored credential empty, with its mask beside it", () => {
    const state = initialFormState(view);
    expect(state.headers).toEqual([
      { rowId: 0, name: "HTTP-Referer", value: "https://app.example" },
      { rowId: 1, name: "Authorization", value: "", masked: "••••5678" },
    ]);
    expect(state.headers.map(isCredentialRow)).toEqual([false, true]);
  });

  it("sends an untouched credential as the placeholder, a typed one as typed, never the mask", () => {
    const state = initialFormState(view);
    expect(formPayload(state).headers).toEqual({
      "HTTP-Referer": "https://app.example",
      Authorization: "<redacted:provider-header>",
    });
    const replaced = {
      ...state,
      headers: state.headers.map((h) =>
        h.masked === undefined ? h : { ...h, value: "Bearer new-token" },
      ),
    };
    expect(formPayload(replaced).headers).toMatchObject({ Authorization: "Bearer new-token" });
    expect(JSON.stringify(formPayload(state))).not.toContain("••••");
  });

  it("types a new header named like a credential as a password", () => {
    expect(isCredentialRow({ rowId: 9, name: "X-Api-Key", value: "" })).toBe(true);
    expect(isCredentialRow({ rowId: 9, name: "X-Title", value: "" })).toBe(false);
  });
});

describe("baseUrlHint", () => {
  it("says when the base URL is required and that anthropic takes it with or without /v1", () => {
    expect(baseUrlHint("generic-openai")).toMatch(/^Required/);
    expect(baseUrlHint("anthropic")).toMatch(/with or without \/v1/);
    expect(baseUrlHint("groq")).toBe("Leave empty to use the built-in URL shown.");
  });
});
