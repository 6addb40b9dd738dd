import { describe, expect, it } from "vitest";
import { defaultProvider, type ProviderOption, providerChoices } from "./provider-choices";

const groq: ProviderOption = { id: "groq", name: "Groq", enabled: true, embeddings: false };
const openai: ProviderOption = { id: "openai", name: "OpenAI", enabled: false, embeddings: true };
const mistral: ProviderOption = { id: "mistral", name: "Mistral", enabled: true, embeddings: true };

describe("provider choices of a chain entry", () => {
  it("offers every provider for a chat chain", () => {
    const choices = providerChoices([groq, openai], "chat", "groq");
    expect(choices.map((c) => [c.id, c.unavailable])).toEqual([
      ["groq", null],
      ["openai", null],
    ]);
  });

  it("marks providers without an embeddings API unavailable for an embeddings chain", () => {
    const choices = providerChoices([groq, openai], "embeddings", "openai");
    expect(choices.map((c) => [c.id, c.unavailable])).toEqual([
      ["groq", "no embeddings API"],
      ["openai", null],
    ]);
  });

  it("keeps an entry's unknown provider listed", () => {
    const choices = providerChoices([openai], "embeddings", "gone");
    expect(choices.map((c) => [c.id, c.name])).toEqual([
      ["openai", "OpenAI"],
      ["gone", "unknown"],
    ]);
  });

  it("starts a new entry on an enabled provider that can serve the chain's kind", () => {
    expect(defaultProvider([groq, openai, mistral], "chat")).toBe("groq");
    expect(defaultProvider([groq, openai, mistral], "embeddings")).toBe("mistral");
    expect(defaultProvider([groq, openai], "embeddings")).toBe("openai");
    expect(defaultProvider([groq], "embeddings")).toBe("groq");
    expect(defaultProvider([], "chat")).toBe("");
  });
});
