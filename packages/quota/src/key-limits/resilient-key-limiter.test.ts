import { describe, expect, it } from "vitest";
import { createMemoryKeyLimiter } from "./memory-key-limiter";
import { createResilientKeyLimiter } from "./resilient-key-limiter";
import type { KeyLimiter } from "./types";

const KEY = { id: "k", rpm: 100, dailyTokens: null, monthlyTokens: null };

describe("createResilientKeyLimiter", () => {
  it("after a failure, answers from local counts without trying Redis again until the retry interval", async () => {
    let now = 0;
    let calls = 0;
    const failing: KeyLimiter = {
      admit: async () => {
        calls += 1;
        throw new Error("Command timed out");
      },
    };
    const limiter = createResilientKeyLimiter({
      primary: failing,
      fallback: createMemoryKeyLimiter({ now: () => now }),
      primaryHealth: () => "ok",
      retryIntervalMs: 1_000,
      now: () => now,
    });
    for (let i = 0; i < 5; i++) expect((await limiter.admit(KEY, 0)).ok).toBe(true);
    // Only the first admission paid for the failing primary.
    expect(calls).toBe(1);
    now = 1_000;
    await limiter.admit(KEY, 0);
    expect(calls).toBe(2);
  });
});
