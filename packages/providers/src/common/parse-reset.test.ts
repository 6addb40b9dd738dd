import { describe, expect, it } from "vitest";
import { parseResetValue } from "./parse-reset";

const NOW = Date.UTC(2026, 5, 15, 12, 0, 0);

describe("parseResetValue", () => {
  it("reads Go duration deltas (OpenAI, Groq)", () => {
    expect(parseResetValue("6m0s", NOW)).toBe(NOW + 360_000);
    expect(parseResetValue("2m59.56s", NOW)).toBe(NOW + 179_560);
  });

  it("reads float seconds deltas (Cerebras)", () => {
    expect(parseResetValue("33011.382867097855", NOW)).toBe(NOW + 33_011_383);
  });

  it("reads epoch ms above 1e12 (OpenRouter)", () => {
    expect(parseResetValue("1788825600000", NOW)).toBe(1_788_825_600_000);
  });

  it("reads epoch seconds above 1e9", () => {
    expect(parseResetValue("1788825600", NOW)).toBe(1_788_825_600_000);
  });

  it("reads RFC 3339 (Anthropic)", () => {
    expect(parseResetValue("2026-06-15T12:40:59Z", NOW)).toBe(Date.UTC(2026, 5, 15, 12, 40, 59));
  });

  it("clamps resets in the past to now (clock skew)", () => {
    expect(parseResetValue("2025-08-21T12:40:59Z", NOW)).toBe(NOW);
    expect(parseResetValue("1700000000000", NOW)).toBe(NOW);
    expect(parseResetValue("0s", NOW)).toBe(NOW);
  });

  it.each([undefined, "", "soon", "12 parsecs", "-5", "2026-13-45T99:99:99Z"])(
    "returns undefined for %j",
    (input) => {
      expect(parseResetValue(input, NOW)).toBeUndefined();
    },
  );
});
