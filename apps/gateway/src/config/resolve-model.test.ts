import { ConfigSchema } from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import { resolveModel } from "./resolve-model";
import { buildSnapshot } from "./snapshot";

const config = ConfigSchema.parse({
  version: 1,
  settings: {
    defaultChain: "fast",
    modelAliases: {
      "claude-sonnet-4-5-20250929": "coding",
      "claude-*": "fast",
      "claude-haiku-*": "cheap",
    },
  },
  providers: [{ id: "p", name: "P", type: "openai", apiKey: "k" }],
  chains: [
    { name: "fast", entries: [{ provider: "p", model: "a" }] },
    { name: "coding", entries: [{ provider: "p", model: "b" }] },
    { name: "cheap", entries: [{ provider: "p", model: "c" }] },
  ],
});
const snapshot = buildSnapshot(config, 1, "test", []);

describe("resolveModel with modelAliases", () => {
  it("takes an exact alias first, then the longest matching prefix", () => {
    expect(resolveModel(snapshot, "claude-sonnet-4-5-20250929").name).toBe("coding");
    expect(resolveModel(snapshot, "claude-haiku-4-5-20251001").name).toBe("cheap");
    expect(resolveModel(snapshot, "claude-opus-4-1").name).toBe("fast");
  });

  it("never lets an alias shadow a chain name or a provider/model", () => {
    expect(resolveModel(snapshot, "cheap").name).toBe("cheap");
    expect(resolveModel(snapshot, "p/claude-x").name).toBe("p/claude-x");
  });

  it("refuses an alias to a chain that does not exist, or a '*' not at the end", () => {
    const bad = ConfigSchema.safeParse({
      ...config,
      settings: { ...config.settings, modelAliases: { x: "nope", "a*b": "fast" } },
    });
    expect(bad.success).toBe(false);
    const paths = bad.error?.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(["settings.modelAliases.x", "settings.modelAliases.a*b"]);
  });
});
