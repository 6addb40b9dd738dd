import { FileConfigSchema } from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import { buildFreedayConfig, declaredPlan } from "./freeday-config";
import { FREEDAY_PROVIDERS } from "./freeday-providers";

const options = {
  upstreamUrl: "http://127.0.0.1:1",
  providers: FREEDAY_PROVIDERS,
  minuteMs: 6_000,
};

describe("buildFreedayConfig", () => {
  it("declares nothing in the headers-only variant", () => {
    const config = FileConfigSchema.parse(
      buildFreedayConfig({ ...options, variant: "headers-only" }),
    );
    expect(config.providers.map((p) => [p.rateLimits, p.modelRateLimits])).toEqual(
      FREEDAY_PROVIDERS.map(() => [undefined, undefined]),
    );
    expect(config.chains[0]?.entries.map((e) => e.provider)).toEqual([
      "groq",
      "cerebras",
      "openrouter",
      "gemini",
    ]);
    expect(config.settings).toMatchObject({ cooldownDefaultMs: 6_000, cooldownMaxMs: 180_000 });
  });

  it("declares the day limits only, account-wide for OpenRouter and per model elsewhere", () => {
    const config = FileConfigSchema.parse(buildFreedayConfig({ ...options, variant: "declared" }));
    const byId = new Map(config.providers.map((p) => [p.id, p]));
    expect(byId.get("groq")?.modelRateLimits).toEqual({
      "llama-3.1-8b-instant": { requestsPerDay: 150, tokensPerDay: 60_000 },
    });
    expect(byId.get("openrouter")?.rateLimits).toEqual({ requestsPerDay: 50 });
    expect(byId.get("openrouter")?.modelRateLimits).toBeUndefined();
    expect(byId.get("gemini")?.baseUrl).toBe("http://127.0.0.1:1/gemini");
  });
});

describe("declaredPlan", () => {
  it("says why per-minute limits cannot be declared", () => {
    const gemini = FREEDAY_PROVIDERS.find((p) => p.id === "gemini")!;
    expect(declaredPlan(gemini, 6_000).notDeclared).toEqual([
      { limit: "rpm 10", why: expect.stringContaining("compressed minute is 6 s") },
      { limit: "tpm 8000 (input tokens only)", why: expect.stringContaining("real 60 s minute") },
    ]);
  });
});
