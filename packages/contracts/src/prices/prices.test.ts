import { describe, expect, it } from "vitest";
import { ConfigSchema } from "../config";
import { entryPrice, referencePriceOf } from "./entry-price";
import { lookupPrice } from "./lookup-price";
import { costMicros } from "./price";

describe("lookupPrice", () => {
  it("matches dated ids by their longest prefix", () => {
    expect(lookupPrice("openai", "gpt-4o-mini-2024-07-18")?.inputPerMTok).toBe(0.15);
    expect(lookupPrice("openai", "gpt-4o-2024-08-06")?.inputPerMTok).toBe(2.5);
    expect(lookupPrice("anthropic", "claude-3-5-haiku-latest")?.outputPerMTok).toBe(4);
    expect(lookupPrice("google-ai", "models/gemini-2.5-flash-lite")?.inputPerMTok).toBe(0.1);
  });

  it("does not match a prefix that runs into another word", () => {
    expect(lookupPrice("openai", "gpt-4oz")).toBeUndefined();
    expect(lookupPrice("mistral", "mistral-small")).toBeUndefined();
  });

  it("prices OpenRouter's :free models at 0", () => {
    expect(lookupPrice("openrouter", "meta-llama/llama-3.3-70b-instruct:free")?.inputPerMTok).toBe(
      0,
    );
  });
});

describe("entryPrice", () => {
  it("prefers the entry's own price, then the provider's free tier, then the table", () => {
    const own = { inputPerMTok: 1, outputPerMTok: 2 };
    expect(entryPrice({ type: "openai", free: true }, { model: "gpt-4o", price: own })).toBe(own);
    expect(entryPrice({ type: "groq", free: true }, { model: "llama-3.1-8b-instant" })).toEqual({
      inputPerMTok: 0,
      outputPerMTok: 0,
      cachedInputPerMTok: 0,
    });
    expect(entryPrice({ type: "groq" }, { model: "llama-3.1-8b-instant" })?.outputPerMTok).toBe(
      0.08,
    );
  });

  it("resolves a reference by configured provider id, then by provider type", () => {
    const providers = [{ id: "my-oai", type: "openai" as const, free: true }];
    expect(referencePriceOf("my-oai/gpt-4o", providers)?.inputPerMTok).toBe(2.5);
    expect(referencePriceOf("anthropic/claude-sonnet-4-5", providers)?.inputPerMTok).toBe(3);
    expect(referencePriceOf("nobody/x", providers)).toBeUndefined();
  });
});

describe("costMicros", () => {
  it("prices prompt, cached prompt and completion tokens, rounding up", () => {
    const price = { inputPerMTok: 2.5, outputPerMTok: 10, cachedInputPerMTok: 1.25 };
    // 1000 × 2.5 + 1000 × 1.25 + 500 × 10 = 8750 micro-dollars.
    expect(
      costMicros(price, { promptTokens: 2000, completionTokens: 500, cachedTokens: 1000 }),
    ).toBe(8750);
    expect(
      costMicros(
        { inputPerMTok: 0.15, outputPerMTok: 0 },
        { promptTokens: 1, completionTokens: 0 },
      ),
    ).toBe(1);
  });
});

describe("config validation", () => {
  const base = {
    version: 1,
    settings: { defaultChain: "c" },
    providers: [{ id: "x", name: "X", type: "generic-openai", apiKey: "k", baseUrl: "http://x" }],
  };

  it("needs a price for an unpriced entry of a budgeted chain", () => {
    const r = ConfigSchema.safeParse({
      ...base,
      chains: [{ name: "c", budget: { dailyUsd: 1 }, entries: [{ provider: "x", model: "m" }] }],
    });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain("is not in the price table");
  });

  it("refuses an empty budget and an unknown reference", () => {
    const r = ConfigSchema.safeParse({
      ...base,
      chains: [
        {
          name: "c",
          budget: {},
          referencePrice: "openai/no-such-model",
          entries: [{ provider: "x", model: "m", price: { inputPerMTok: 1, outputPerMTok: 1 } }],
        },
      ],
    });
    const messages = r.error?.issues.map((i) => i.message) ?? [];
    expect(messages).toContain("must set dailyUsd, monthlyUsd or both");
    expect(messages.some((m) => m.includes("has no known price"))).toBe(true);
  });
});
