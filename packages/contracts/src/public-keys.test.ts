import { describe, expect, it } from "vitest";
import { isPlaceholderKey, isPublicExampleKey } from "./public-keys";

describe("isPlaceholderKey", () => {
  it("knows the example config's stand-ins", () => {
    for (const key of [
      "gsk_your_key_here",
      "csk-your-key-here",
      "sk-or-v1-your-key-here",
      "your-google-ai-key-here",
      "sk-your-openai-key-here",
      "your-mistral-key-here",
      "change-me",
      "<your key>",
      "xxxx",
    ]) {
      expect(isPlaceholderKey(key), key).toBe(true);
    }
  });

  it("takes real-looking keys and local servers' dummy keys as keys", () => {
    for (const key of ["gsk_8f3KJd92mZ", "sk-proj-abc123", "ollama", "none", "sk-or-v1-0a1b2c"]) {
      expect(isPlaceholderKey(key), key).toBe(false);
    }
  });
});

describe("isPublicExampleKey", () => {
  it("is the example config's client key", () => {
    expect(isPublicExampleKey("sk-429chain-change-me")).toBe(true);
    expect(isPublicExampleKey("sk-429-real")).toBe(false);
  });
});
