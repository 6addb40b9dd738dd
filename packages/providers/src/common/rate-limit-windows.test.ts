import { describe, expect, it } from "vitest";
import { longestExhaustedReset, parseWindows } from "./rate-limit-windows";

const NOW = Date.UTC(2026, 5, 15, 12, 0, 30);

describe("parseWindows", () => {
  const spec = {
    name: "tokens",
    unit: "tokens" as const,
    limitHeader: "l",
    remainingHeader: "r",
    resetHeader: "t",
  };

  it("builds a window from valid headers", () => {
    expect(parseWindows({ l: "100", r: "5", t: "1s" }, NOW, [spec])).toEqual([
      { name: "tokens", unit: "tokens", limit: 100, remaining: 5, resetAt: NOW + 1000 },
    ]);
  });

  it("keeps a window whose limit is missing, without a limit", () => {
    expect(parseWindows({ r: "5", t: "1s" }, NOW, [spec])[0]).not.toHaveProperty("limit");
  });

  it.each([
    [{ l: "100", t: "1s" }],
    [{ l: "100", r: "abc", t: "1s" }],
    [{ l: "100", r: "5", t: "later" }],
    [{ l: "100", r: "5" }],
    [{ l: "100", r: "-1", t: "1s" }],
  ])("skips a window with missing or garbage headers %j", (headers) => {
    expect(parseWindows(headers, NOW, [spec])).toEqual([]);
  });

  it("falls back to the next minute boundary when asked", () => {
    const windows = parseWindows({ r: "5" }, NOW, [{ ...spec, fallbackReset: "next-minute" }]);
    expect(windows[0]?.resetAt).toBe(Date.UTC(2026, 5, 15, 12, 1, 0));
  });
});

describe("longestExhaustedReset", () => {
  it("picks the latest reset among exhausted windows only", () => {
    const result = longestExhaustedReset([
      { name: "tokens-minute", unit: "tokens", remaining: 0, resetAt: NOW + 20_000 },
      { name: "requests-day", unit: "requests", remaining: 0, resetAt: NOW + 33_000_000 },
      { name: "other", unit: "requests", remaining: 3, resetAt: NOW + 99_000_000 },
    ]);
    expect(result).toEqual({ name: "requests-day", resetAt: NOW + 33_000_000 });
  });

  it("is undefined when nothing is exhausted", () => {
    expect(
      longestExhaustedReset([{ name: "t", unit: "tokens", remaining: 1, resetAt: NOW }]),
    ).toBeUndefined();
  });
});
