import { describe, expect, it } from "vitest";
import { generateSchedule, type Phase } from "./freeday-schedule";

const PHASES: Phase[] = [
  { name: "calm", fromMinute: 0, toMinute: 4, load: 0.5 },
  { name: "burst", fromMinute: 4, toMinute: 5, load: 2 },
];

describe("generateSchedule", () => {
  it("replays the same day for the same seed and another for another seed", () => {
    const a = generateSchedule({ seed: 7, minuteMs: 1_000, capacityPerMinute: 40, phases: PHASES });
    const b = generateSchedule({ seed: 7, minuteMs: 1_000, capacityPerMinute: 40, phases: PHASES });
    const c = generateSchedule({ seed: 8, minuteMs: 1_000, capacityPerMinute: 40, phases: PHASES });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it("puts every request inside its phase, in time order, with sizes and keys that vary", () => {
    const s = generateSchedule({
      seed: 3,
      minuteMs: 1_000,
      capacityPerMinute: 400,
      phases: PHASES,
    });
    expect(s.map((r) => r.index)).toEqual(s.map((_, i) => i));
    expect(s.map((r) => r.at)).toEqual([...s.map((r) => r.at)].sort((x, y) => x - y));
    for (const r of s) {
      const phase = PHASES.find((p) => p.name === r.phase)!;
      expect(r.at).toBeGreaterThanOrEqual(phase.fromMinute * 1_000);
      expect(r.at).toBeLessThan(phase.toMinute * 1_000);
    }
    expect(new Set(s.map((r) => r.key))).toEqual(new Set([0, 1, 2]));
    expect(new Set(s.map((r) => r.maxTokens)).size).toBeGreaterThan(3);
    expect(new Set(s.map((r) => r.stream))).toEqual(new Set([true, false]));
    expect(Math.min(...s.map((r) => r.promptChars))).toBeGreaterThanOrEqual(200);
    expect(Math.max(...s.map((r) => r.promptChars))).toBeLessThanOrEqual(6_000);
  });

  it("sends about load × capacity requests per minute in each phase", () => {
    const s = generateSchedule({
      seed: 5,
      minuteMs: 1_000,
      capacityPerMinute: 400,
      phases: PHASES,
    });
    const calm = s.filter((r) => r.phase === "calm").length / 4;
    const burst = s.filter((r) => r.phase === "burst").length;
    expect(calm).toBeGreaterThan(160);
    expect(calm).toBeLessThan(240);
    expect(burst).toBeGreaterThan(700);
    expect(burst).toBeLessThan(900);
  });
});
