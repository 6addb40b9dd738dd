import { createFailClosedSpendBudgets, createMemorySpendBudgets } from "@429chain/quota";
import { describe, expect, it } from "vitest";
import type { ClientKeyInfo } from "../src/config/snapshot";
import { GatewayError } from "../src/errors";
import { admitKeySpend } from "../src/lifecycle/key-admission";

const key: ClientKeyInfo = {
  id: "k1",
  hash: "h",
  allowedChains: null,
  rpm: null,
  dailyTokens: null,
  monthlyTokens: null,
  dailySpendMicros: 1_000,
  monthlySpendMicros: null,
  expiresAt: null,
  revoked: false,
};

describe("admitKeySpend", () => {
  it("admits while the key has spent less than its budget, then answers 429 key_spend_exceeded", async () => {
    const budgets = createMemorySpendBudgets();
    const first = await admitKeySpend(budgets, key);
    await first.settle(999);
    const second = await admitKeySpend(budgets, key);
    await second.settle(5);
    const err = await admitKeySpend(budgets, key).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ code: "key_spend_exceeded", status: 429 });
    expect((err as GatewayError).retryAt).toBeGreaterThan(Date.now());
  });

  it("lets a key whose spend cannot be checked use free entries only", async () => {
    const budgets = createFailClosedSpendBudgets({
      primary: createMemorySpendBudgets(),
      health: () => "degraded",
    });
    const admitted = await admitKeySpend(budgets, key);
    expect(admitted.paidBlocked).toContain("cannot be checked");
  });

  it("does nothing for a key without spend budgets", async () => {
    const budgets = createMemorySpendBudgets();
    const none = { ...key, dailySpendMicros: null };
    for (let i = 0; i < 3; i++) await (await admitKeySpend(budgets, none)).settle(10_000);
    expect(await budgets.spent("key:k1")).toEqual({ dayMicros: 0, monthMicros: 0 });
  });
});
