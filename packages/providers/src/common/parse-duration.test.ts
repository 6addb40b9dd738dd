import { describe, expect, it } from "vitest";
import { parseDuration } from "./parse-duration";

describe("parseDuration", () => {
  it.each([
    ["1s", 1000],
    ["6m0s", 360_000],
    ["12ms", 12],
    ["9ms", 9],
    ["14h29m11.04s", 52_151_040],
    ["6.780999999s", 6781],
    ["0s", 0],
    ["2m59.56s", 179_560],
    ["7.66s", 7660],
    ["9m38.016s", 578_016],
    ["1h", 3_600_000],
    ["2", 2000],
    ["1.5", 1500],
    [" 3s ", 3000],
  ])("%s → %d ms", (input, ms) => {
    expect(parseDuration(input)).toBe(ms);
  });

  it.each(["", "abc", "5x", "1s2", "-1s", "s", "1.2.3s", "NaN", "Infinity"])(
    "rejects %j",
    (input) => {
      expect(parseDuration(input)).toBeUndefined();
    },
  );

  it("returns undefined for undefined", () => {
    expect(parseDuration(undefined)).toBeUndefined();
  });
});
