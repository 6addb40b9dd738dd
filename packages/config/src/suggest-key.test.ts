import { describe, expect, it } from "vitest";
import { editDistance, suggestKey } from "./suggest-key";

describe("suggestKey", () => {
  it("suggests the closest known key for a plausible typo", () => {
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(suggestKey("rateLimit", ["rateLimits", "timeout"])).toBe("rateLimits");
    expect(suggestKey("requestsPerMinut", ["requestsPerMinute", "requestsPerDay"])).toBe(
      "requestsPerMinute",
    );
    expect(suggestKey("baseURL", ["baseUrl", "apiKey"])).toBe("baseUrl");
  });

  it("suggests nothing for unrelated keys", () => {
    expect(suggestKey("x", ["id", "name"])).toBeUndefined();
    expect(suggestKey("colour", ["baseUrl", "apiKey"])).toBeUndefined();
  });
});
