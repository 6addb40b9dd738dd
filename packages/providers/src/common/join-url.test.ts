import { describe, expect, it } from "vitest";
import { joinUrl } from "./join-url";

describe("joinUrl", () => {
  it.each([
    ["https://api.anthropic.com", "/v1/messages", "https://api.anthropic.com/v1/messages"],
    ["https://api.anthropic.com/v1", "/v1/messages", "https://api.anthropic.com/v1/messages"],
    ["http://proxy/v1beta", "/v1/messages", "http://proxy/v1beta/v1/messages"],
    [
      "https://api.openai.com/v1",
      "/chat/completions",
      "https://api.openai.com/v1/chat/completions",
    ],
  ])("%s + %s = %s", (base, path, url) => {
    expect(joinUrl(base, path)).toBe(url);
  });
});
