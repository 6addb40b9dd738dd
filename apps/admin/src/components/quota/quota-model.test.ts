import type { ChainLedger, EntryLedger } from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import { entryRemaining, forecastOf, stackOf } from "./quota-model";

const NOW = 1_800_000_000_000;
const idle = { requestsPerMinute: 0, tokensPerMinute: 0 };

function entry(label: string, over: Partial<EntryLedger> = {}): EntryLedger {
  const [provider = "", model = ""] = label.split("/");
  return {
    label,
    provider,
    model,
    status: "available",
    cooldownUntil: null,
    reason: null,
    consecutiveFailures: 0,
    inFlight: 0,
    burn: { entry: idle, provider: idle },
    windows: [],
    runsOutAt: null,
    ...over,
  };
}

const window = (remaining: number, unit: "requests" | "tokens" = "requests") => ({
  name: `manual:${unit}PerDay`,
  source: "manual" as const,
  scope: "entry" as const,
  unit,
  limit: 100,
  remaining,
  resetAt: NOW + 3_600_000,
  period: "day" as const,
  burnPerMinute: 0,
  runsOutAt: null,
});

function chain(over: Partial<ChainLedger> = {}): ChainLedger {
  return {
    name: "c",
    kind: "chat",
    entries: ["a/m", "b/m", "c/m"],
    activeEntry: "a/m",
    capacity: {
      requests: { now: 60, minute: null, day: 60 },
      tokens: { now: null, minute: null, day: null },
    },
    burn: { requestsPerMinute: 1, tokensPerMinute: 0 },
    resets: [
      { entry: "a/m", window: "manual:requestsPerDay", period: "day", at: NOW + 3_600_000 },
      { entry: "b/m", window: "x", period: "day", at: NOW + 100 * 3_600_000 },
    ],
    exhaustedAt: NOW + 60 * 60_000,
    availableAt: null,
    ...over,
  };
}

describe("quota page model", () => {
  it("counts an entry's tightest request window, and nothing while it is out", () => {
    expect(
      entryRemaining(entry("a/m", { windows: [window(40), window(7), window(1, "tokens")] })),
    ).toBe(7);
    expect(entryRemaining(entry("a/m"))).toBeNull();
    expect(entryRemaining(entry("a/m", { status: "cooling_down", windows: [window(40)] }))).toBe(0);
  });

  it("stacks the chain's entries by what they have left, an unknown one at the average slice", () => {
    const entries = new Map([
      ["a/m", entry("a/m", { windows: [window(30)] })],
      ["b/m", entry("b/m", { windows: [window(10)] })],
      ["c/m", entry("c/m")],
    ]);
    expect(stackOf(chain(), entries).map((s) => [s.label, s.remaining, s.share])).toEqual([
      ["a/m", 30, 0.5],
      ["b/m", 10, 10 / 60],
      ["c/m", null, 20 / 60],
    ]);
  });

  it("draws the forecast down to zero when the chain runs out within the horizon", () => {
    const f = forecastOf(chain(), NOW, 24 * 3_600_000);
    expect(f).toMatchObject({ start: 60, end: 0, zeroAt: NOW + 3_600_000 });
    expect(f.resets.map((r) => r.entry)).toEqual(["a/m"]);
    const slow = forecastOf(chain({ exhaustedAt: null }), NOW, 30 * 60_000);
    expect(slow).toMatchObject({ end: 30, zeroAt: NOW + 3_600_000 });
    // The ledger knows no run-out, but at 1 a minute 60 requests last an hour.
    expect(forecastOf(chain({ exhaustedAt: null }), NOW, 24 * 3_600_000)).toMatchObject({
      end: 0,
      zeroAt: NOW + 3_600_000,
    });
    const idleChain = chain({ exhaustedAt: null, burn: idle });
    expect(forecastOf(idleChain, NOW, 3_600_000)).toMatchObject({ end: 60, zeroAt: null });
  });
});
