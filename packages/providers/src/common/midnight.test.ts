import { describe, expect, it } from "vitest";
import { nextMidnightInZone, nextMidnightUtc } from "./midnight";

describe("nextMidnightUtc", () => {
  it("is the next 00:00 UTC", () => {
    expect(nextMidnightUtc(Date.UTC(2026, 5, 15, 12, 30))).toBe(Date.UTC(2026, 5, 16));
    expect(nextMidnightUtc(Date.UTC(2026, 5, 15))).toBe(Date.UTC(2026, 5, 16));
  });
});

describe("nextMidnightInZone (America/Los_Angeles)", () => {
  const la = (now: number) => nextMidnightInZone(now, "America/Los_Angeles");

  it("uses PDT (UTC-7) in summer", () => {
    expect(la(Date.UTC(2026, 5, 15, 12))).toBe(Date.UTC(2026, 5, 16, 7));
    // 06:30 UTC on the 16th is still 23:30 on the 15th in Los Angeles.
    expect(la(Date.UTC(2026, 5, 16, 6, 30))).toBe(Date.UTC(2026, 5, 16, 7));
  });

  it("uses PST (UTC-8) in winter", () => {
    expect(la(Date.UTC(2026, 0, 10, 12))).toBe(Date.UTC(2026, 0, 11, 8));
  });

  it("handles the day DST starts and ends", () => {
    // 2026-03-08 02:00 PST → PDT; midnight of the 9th is 07:00 UTC.
    expect(la(Date.UTC(2026, 2, 8, 12))).toBe(Date.UTC(2026, 2, 9, 7));
    // 2026-11-01 02:00 PDT → PST; midnight of the 2nd is 08:00 UTC.
    expect(la(Date.UTC(2026, 10, 1, 12))).toBe(Date.UTC(2026, 10, 2, 8));
  });
});
