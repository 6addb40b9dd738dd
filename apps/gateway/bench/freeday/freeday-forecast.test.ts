import type { LimitedProvider } from "@429chain/testing";
import { describe, expect, it } from "vitest";
import { type ForecastSample, judgeForecasts, type WatchedProvider } from "./freeday-forecast";

const MIN = 1_000;
const providers: WatchedProvider[] = ["a", "b"].map((id) => ({
  id,
  label: `${id}/m`,
  sim: {} as LimitedProvider,
}));

function sample(at: number, a: number | null, aSpent: boolean, b: number | null): ForecastSample {
  return {
    at,
    runsOutAt: { a, b },
    spent: { a: aSpent, b: false },
    chainExhaustedAt: null,
  };
}

describe("judgeForecasts", () => {
  it("measures the lead and the error of the forecast before a day ran out", () => {
    const samples = [
      sample(0, null, false, null),
      sample(2 * MIN, 11 * MIN, false, null),
      sample(6 * MIN, 10.5 * MIN, false, 30 * MIN),
      sample(8 * MIN, 10 * MIN, false, 12 * MIN),
      sample(10 * MIN, null, true, null),
    ];
    const [a, b] = judgeForecasts(samples, providers, {
      startAt: 0,
      minuteMs: MIN,
      dayEndAt: 20 * MIN,
      horizonMin: 5,
    });
    expect(a).toEqual({
      id: "a",
      spentAtMin: 10,
      leadMin: 8,
      medianErrorMin: 0,
      falseAlarms: 0,
    });
    // b lasted the day: a forecast of an end within the day was a false alarm; past it was not.
    expect(b).toMatchObject({ spentAtMin: null, falseAlarms: 1 });
  });
});
