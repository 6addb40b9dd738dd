import { describe, expect, it } from "vitest";
import { defaultBaseUrls } from "./default-base-urls";

describe("defaultBaseUrls", () => {
  it("lists every provider type the form offers, anthropic included", () => {
    expect(defaultBaseUrls()).toMatchObject({
      openai: "https://api.openai.com/v1",
      anthropic: "https://api.anthropic.com",
      "generic-openai": null,
    });
  });
});
