import { describe, expect, it } from "vitest";
import { runIdeal } from "./freeday-ideal";
import type { FreedayProvider } from "./freeday-providers";
import type { ScheduledRequest } from "./freeday-schedule";

const provider = (id: string, limits: FreedayProvider["limits"]): FreedayProvider => ({
  id,
  style: "groq",
  type: "groq",
  model: "m",
  path: `/${id}`,
  limits,
  scope: "entry",
  reports: "",
});

// 400 characters: 100 prompt tokens; max_tokens 10: 10 completion tokens, 110 in all.
const request = (index: number, at: number, promptChars = 400): ScheduledRequest => ({
  index,
  at,
  phase: "p",
  key: 0,
  promptChars,
  maxTokens: 10,
  stream: false,
});

const TIMING = { minuteMs: 1_000, dayMs: 10_000 };

describe("runIdeal", () => {
  it("sends each request to the first provider with room and refuses when none has", () => {
    const providers = [provider("a", { rpm: 1 }), provider("b", { rpm: 1, rpd: 2 })];
    const schedule = [
      request(0, 0),
      request(1, 10),
      request(2, 20),
      request(3, 1_000),
      request(4, 1_010),
      request(5, 2_000),
      request(6, 2_010),
    ];
    const ideal = runIdeal(schedule, providers, TIMING);
    expect(ideal.servedBy).toEqual(["a", "b", null, "a", "b", "a", null]);
    expect(ideal.served).toBe(5);
    expect(ideal.perProvider).toEqual({ a: 3, b: 2 });
  });

  it("skips a provider whose token window cannot take this request but not a smaller one", () => {
    const providers = [provider("a", { tpm: 300 }), provider("b", { rpm: 10 })];
    const schedule = [
      request(0, 0, 400),
      request(1, 1, 400),
      request(2, 2, 400),
      request(3, 3, 40),
    ];
    expect(runIdeal(schedule, providers, TIMING).servedBy).toEqual(["a", "a", "b", "a"]);
  });

  it("replays in time order whatever the order of the list", () => {
    const providers = [provider("a", { rpm: 1 }), provider("b", { rpm: 1 })];
    const ideal = runIdeal([request(0, 500), request(1, 100)], providers, TIMING);
    expect(ideal.servedBy).toEqual(["b", "a"]);
  });
});
