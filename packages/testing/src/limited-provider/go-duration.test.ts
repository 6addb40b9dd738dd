import { parseDuration } from "@429chain/providers";
import { describe, expect, it } from "vitest";
import { formatGoDuration } from "./go-duration";

describe("formatGoDuration", () => {
  it("writes waits the way Groq does", () => {
    expect(formatGoDuration(179_560)).toBe("2m59.56s");
    expect(formatGoDuration(7_660)).toBe("7.66s");
    expect(formatGoDuration(60_000)).toBe("1m0s");
    expect(formatGoDuration(52_151_040)).toBe("14h29m11.04s");
    expect(formatGoDuration(120)).toBe("120ms");
    expect(formatGoDuration(0)).toBe("0s");
    expect(formatGoDuration(-5)).toBe("0s");
  });

  it("rounds up, so a client waiting the printed time is never early", () => {
    expect(formatGoDuration(1_001)).toBe("1.01s");
    for (const ms of [1, 999, 1_001, 6_543, 61_234, 3_600_001]) {
      expect(parseDuration(formatGoDuration(ms))).toBeGreaterThanOrEqual(ms);
    }
  });
});
