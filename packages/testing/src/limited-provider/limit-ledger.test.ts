import { describe, expect, it } from "vitest";
import { createLimitLedger } from "./limit-ledger";

const T0 = 1_800_000_000_000;
const MINUTE = 1_000;
const DAY = 10_000;
const cost = (promptTokens: number, completionTokens = 0, maxTokens = completionTokens) => ({
  promptTokens,
  completionTokens,
  maxTokens,
});

describe("createLimitLedger", () => {
  it("keeps fixed minute and day windows aligned to its start", () => {
    const ledger = createLimitLedger({
      style: "groq",
      limits: { rpm: 2, rpd: 3 },
      minuteMs: MINUTE,
      dayMs: DAY,
      startAt: T0,
    });
    ledger.charge(cost(1), T0 + 100);
    ledger.charge(cost(1), T0 + 900);
    expect(ledger.violations(cost(1), T0 + 999).map((w) => w.name)).toEqual(["rpm"]);
    expect(ledger.wouldServe(cost(1), T0 + 1_000)).toBe(true);
    ledger.charge(cost(1), T0 + 1_000);
    expect(ledger.violations(cost(1), T0 + 1_001).map((w) => w.name)).toEqual(["rpd"]);
    expect(ledger.windows(T0 + 1_001)).toEqual([
      {
        name: "rpd",
        unit: "requests",
        period: "day",
        limit: 3,
        used: 3,
        remaining: 0,
        resetAt: T0 + DAY,
      },
      {
        name: "rpm",
        unit: "requests",
        period: "minute",
        limit: 2,
        used: 1,
        remaining: 1,
        resetAt: T0 + 2_000,
      },
    ]);
    expect(ledger.wouldServe(cost(1), T0 + DAY)).toBe(true);
  });

  it("answers for any past instant from its history", () => {
    const ledger = createLimitLedger({
      style: "groq",
      limits: { tpm: 100 },
      minuteMs: MINUTE,
      dayMs: DAY,
      startAt: T0,
    });
    ledger.charge(cost(60, 20), T0 + 500);
    expect(ledger.windows(T0 + 499)[0]?.remaining).toBe(100);
    expect(ledger.windows(T0 + 500)[0]?.remaining).toBe(20);
    expect(ledger.wouldServe(cost(20), T0 + 400)).toBe(true);
    expect(ledger.wouldServe(cost(21), T0 + 600)).toBe(false);
  });

  it("admits on prompt + max tokens for Cerebras but charges what was generated", () => {
    const ledger = createLimitLedger({
      style: "cerebras",
      limits: { tpm: 100 },
      minuteMs: MINUTE,
      dayMs: DAY,
      startAt: T0,
    });
    expect(ledger.wouldServe(cost(50, 10, 60), T0)).toBe(false);
    expect(ledger.wouldServe(cost(50, 10, 50), T0)).toBe(true);
    ledger.charge(cost(50, 10, 50), T0);
    expect(ledger.windows(T0)[0]?.used).toBe(60);
  });

  it("counts input tokens only for Gemini", () => {
    const ledger = createLimitLedger({
      style: "gemini",
      limits: { tpm: 100 },
      minuteMs: MINUTE,
      dayMs: DAY,
      startAt: T0,
    });
    expect(ledger.wouldServe(cost(100, 500), T0)).toBe(true);
    ledger.charge(cost(40, 500), T0);
    expect(ledger.windows(T0)[0]?.used).toBe(40);
  });

  it("refuses a limit the provider does not have", () => {
    expect(() =>
      createLimitLedger({
        style: "openrouter",
        limits: { tpm: 100 },
        minuteMs: MINUTE,
        dayMs: DAY,
        startAt: T0,
      }),
    ).toThrow(/no tpm limit/);
  });
});
