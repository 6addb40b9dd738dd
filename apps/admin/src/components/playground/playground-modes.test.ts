import { describe, expect, it } from "vitest";
import { chainsForMode } from "./playground-modes";

const chains = [
  { name: "fast", kind: "chat" as const },
  { name: "embed", kind: "embeddings" as const },
  { name: "smart", kind: "chat" as const },
];

describe("the playground's chain picker", () => {
  it("offers chat chains to the chat and Responses modes, preselecting the default chain", () => {
    expect(chainsForMode(chains, "chat", "smart")).toEqual({
      names: ["fast", "smart"],
      selected: "smart",
    });
    expect(chainsForMode(chains, "responses", null)).toEqual({
      names: ["fast", "smart"],
      selected: "fast",
    });
  });

  it("offers embeddings chains to the embeddings mode, or none", () => {
    expect(chainsForMode(chains, "embeddings", "fast")).toEqual({
      names: ["embed"],
      selected: "embed",
    });
    expect(chainsForMode(chains.slice(0, 1), "embeddings", "fast")).toEqual({
      names: [],
      selected: "",
    });
  });
});
