import { describe, expect, it } from "vitest";
import { parseBodyHints } from "./body-hints";
import { describeResponse, summarizeMessage } from "./reason";

describe("summarizeMessage", () => {
  it("reduces a rate-limit message to its window", () => {
    expect(
      summarizeMessage(
        "Rate limit reached for model `llama` in organization `org_01abc` on tokens per minute (TPM): Limit 6000",
      ),
    ).toBe("tokens per minute");
  });

  it("masks key-like strings and truncates", () => {
    const text = summarizeMessage("Incorrect API key provided: sk-proj-abcdef123456. ".repeat(5));
    expect(text).not.toContain("sk-proj");
    expect(text).toContain("[redacted]");
    expect(text!.length).toBeLessThanOrEqual(100);
  });
});

describe("describeResponse", () => {
  it("formats status, code and detail", () => {
    const hints = parseBodyHints(
      JSON.stringify({
        error: { code: "rate_limit_exceeded", message: "Limit on tokens per minute (TPM)" },
      }),
    );
    expect(describeResponse(429, hints)).toBe("429 rate_limit_exceeded: tokens per minute");
  });

  it("uses the fallback when the body says nothing", () => {
    expect(describeResponse(502, parseBodyHints("<html>"), "non-JSON body")).toBe(
      "502 non-JSON body",
    );
  });
});
