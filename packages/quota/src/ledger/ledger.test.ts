import type { BurnRate, EntryState, QuotaWindowState } from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import { addBurn, burnRateOf } from "./burn-rate";
import { chainLedger, entryLedger, type LedgerEntryInput } from "./ledger";

const NOW = 1_800_000_000_000;
const MIN = 60_000;
const idle: BurnRate = { requestsPerMinute: 0, tokensPerMinute: 0 };

function win(over: Partial<QuotaWindowState> & Pick<QuotaWindowState, "name">): QuotaWindowState {
  return {
    source: "header",
    scope: "entry",
    unit: "requests",
    limit: 1000,
    remaining: 500,
    resetAt: NOW + 10 * 3_600_000,
    ...over,
  };
}

function entry(
  label: string,
  windows: QuotaWindowState[],
  over: Partial<EntryState> = {},
  burn: { entry?: BurnRate; provider?: BurnRate } = {},
): LedgerEntryInput {
  const [provider, model] = label.split("/") as [string, string];
  return {
    label,
    usable: true,
    burn: { entry: burn.entry ?? idle, provider: burn.provider ?? idle },
    state: {
      provider,
      model,
      status: "tracking",
      cooldownUntil: null,
      reason: null,
      consecutiveFailures: 0,
      inFlight: 0,
      windows,
      ...over,
    },
  };
}

function chainOf(inputs: LedgerEntryInput[]) {
  const byLabel = new Map(
    inputs.map((i) => [i.label, { ledger: entryLedger(i, NOW), usable: i.usable }]),
  );
  return chainLedger(
    { name: "c", kind: "chat", entries: inputs.map((i) => i.label) },
    byLabel,
    NOW,
  );
}

describe("burn rate", () => {
  it("approaches the steady rate and decays when use stops", () => {
    let stored = null;
    // One request with 100 tokens every 2 s for an hour: 30 requests a minute.
    for (let t = 0; t < 3_600_000; t += 2000) stored = addBurn(stored, NOW + t, 100);
    const rate = burnRateOf(stored, NOW + 3_600_000);
    expect(rate.requestsPerMinute).toBeCloseTo(30, 0);
    expect(rate.tokensPerMinute).toBeCloseTo(3000, -2);
    expect(burnRateOf(stored, NOW + 3 * 3_600_000).requestsPerMinute).toBeLessThan(0.01);
  });
});

describe("entry ledger", () => {
  it("forecasts when a window runs out at the current rate, if before its reset", () => {
    const ledger = entryLedger(
      entry(
        "groq/llama",
        [win({ name: "header:requests-day", remaining: 600 })],
        {},
        {
          entry: { requestsPerMinute: 10, tokensPerMinute: 0 },
        },
      ),
      NOW,
    );
    expect(ledger.windows[0]).toMatchObject({ period: "day", burnPerMinute: 10 });
    expect(ledger.windows[0]?.runsOutAt).toBe(NOW + 60 * MIN);
    expect(ledger.runsOutAt).toBe(NOW + 60 * MIN);
  });

  it("says nothing runs out when the reset comes first or nothing burns", () => {
    const slow = entryLedger(
      entry(
        "groq/llama",
        [win({ name: "header:requests-day", remaining: 600 })],
        {},
        {
          entry: { requestsPerMinute: 0.5, tokensPerMinute: 0 },
        },
      ),
      NOW,
    );
    expect(slow.runsOutAt).toBeNull();
    expect(entryLedger(entry("groq/llama", [win({ name: "x" })]), NOW).runsOutAt).toBeNull();
  });

  it("uses the provider account's rate for a provider-wide window", () => {
    const ledger = entryLedger(
      entry(
        "openai/gpt",
        [
          win({
            name: "header:tokens",
            unit: "tokens",
            scope: "provider",
            remaining: 9000,
            resetAt: NOW + 30_000,
          }),
        ],
        {},
        { provider: { requestsPerMinute: 0, tokensPerMinute: 60_000 } },
      ),
      NOW,
    );
    expect(ledger.windows[0]).toMatchObject({ period: "minute", burnPerMinute: 60_000 });
    expect(ledger.windows[0]?.runsOutAt).toBe(NOW + 9000);
  });
});

describe("chain ledger", () => {
  it("sums capacity by kind and counts a shared account's window once", () => {
    const shared = win({ name: "header:requests-day", scope: "provider", remaining: 100 });
    const chain = chainOf([
      entry("groq/a", [shared, win({ name: "header:requests-day", remaining: 80 })]),
      entry("groq/b", [shared, win({ name: "header:requests-day", remaining: 80 })]),
      entry("cerebras/c", [
        win({ name: "header:requests-day", remaining: 50 }),
        win({
          name: "manual:requestsPerMinute",
          source: "manual",
          remaining: 5,
          resetAt: NOW + 20_000,
        }),
      ]),
    ]);
    // groq: min(100 shared, 80 + 80) = 100; cerebras: 50.
    expect(chain.capacity.requests.day).toBe(150);
    // Only cerebras has a minute window; groq's minute capacity is not known.
    expect(chain.capacity.requests.minute).toBeNull();
    expect(chain.capacity.requests.now).toBe(105);
    expect(chain.activeEntry).toBe("groq/a");
    expect(chain.resets.map((r) => r.window)).toEqual([
      "manual:requestsPerMinute",
      "header:requests-day",
      "header:requests-day",
      "header:requests-day",
      "header:requests-day",
    ]);
  });

  it("forecasts the chain out for the day at its rate, and when it serves again", () => {
    const cooling = chainOf([
      entry("groq/a", [win({ name: "header:requests-day", remaining: 0 })], {
        status: "cooling_down",
        cooldownUntil: NOW + 5 * MIN,
      }),
      entry(
        "cerebras/c",
        [win({ name: "header:requests-day", remaining: 120 })],
        {},
        {
          entry: { requestsPerMinute: 4, tokensPerMinute: 0 },
        },
      ),
    ]);
    expect(cooling.capacity.requests.day).toBe(120);
    expect(cooling.activeEntry).toBe("cerebras/c");
    expect(cooling.exhaustedAt).toBe(NOW + 30 * MIN);
    expect(cooling.availableAt).toBeNull();

    const out = chainOf([
      entry("groq/a", [], { status: "cooling_down", cooldownUntil: NOW + 5 * MIN }),
      entry("groq/b", [], { status: "auth_failed", cooldownUntil: NOW + 2 * MIN }, {}),
    ]);
    expect(out.activeEntry).toBeNull();
    expect(out.capacity.requests.now).toBe(0);
    expect(out.availableAt).toBe(NOW + 2 * MIN);
  });

  it("leaves out entries that will never be called", () => {
    const placeholder = entry("groq/a", [win({ name: "header:requests-day" })]);
    placeholder.usable = false;
    const chain = chainOf([
      placeholder,
      entry("cerebras/c", [win({ name: "header:requests-day", remaining: 7 })]),
    ]);
    expect(chain.activeEntry).toBe("cerebras/c");
    expect(chain.capacity.requests.day).toBe(7);
  });
});
