import { EntryStateSchema } from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import {
  type ContractContext,
  entry,
  FAIL,
  mustAcquire,
  OK,
  POLICY,
  rateLimited,
  req,
  settleInput,
  T0,
} from "./fixtures";

const A = entry("groq", "llama:70b/versatile", {
  providerLimits: { requestsPerDay: 100, concurrentRequests: 4 },
  modelLimits: { requestsPerMinute: 10 },
});
const B = entry("openai", "gpt-4o");

export function describeEntryStateContract(get: () => ContractContext): void {
  describe("entryStates", () => {
    it("describes an untouched entry as available, with its configured limits", async () => {
      const { store } = get();
      const states = await store.entryStates([A, B]);
      for (const s of states) EntryStateSchema.parse(s);
      expect(states[1]).toEqual({
        provider: "openai",
        model: "gpt-4o",
        status: "available",
        cooldownUntil: null,
        reason: null,
        consecutiveFailures: 0,
        inFlight: 0,
        windows: [],
        burn: {
          entry: { requestsPerMinute: 0, tokensPerMinute: 0 },
          provider: { requestsPerMinute: 0, tokensPerMinute: 0 },
        },
      });
      expect(states[0]?.status).toBe("available");
      expect(states[0]?.windows).toEqual([
        {
          name: "manual:requestsPerDay",
          source: "manual",
          scope: "provider",
          unit: "requests",
          limit: 100,
          remaining: 100,
          resetAt: T0 + 86_400_000,
        },
        {
          name: "manual:requestsPerMinute",
          source: "manual",
          scope: "entry",
          unit: "requests",
          limit: 10,
          remaining: 10,
          resetAt: T0 + 60_000,
        },
        {
          name: "manual:concurrentRequests",
          source: "manual",
          scope: "provider",
          unit: "requests",
          limit: 4,
          remaining: 4,
          resetAt: null,
        },
      ]);
    });

    it("tracks usage, in-flight leases and header windows", async () => {
      const { store } = get();
      const lease = await mustAcquire(store, req([A]));
      await store.settle(
        lease,
        settleInput(OK, {
          windows: [{ name: "tokens", unit: "tokens", remaining: 900, resetAt: T0 + 6_000 }],
        }),
      );
      await mustAcquire(store, req([A]));
      const [state] = await store.entryStates([A]);
      expect(state).toMatchObject({ status: "tracking", inFlight: 1, cooldownUntil: null });
      expect(state?.windows).toContainEqual({
        name: "header:tokens",
        source: "header",
        scope: "entry",
        unit: "tokens",
        limit: null,
        remaining: 900,
        resetAt: T0 + 6_000,
      });
      expect(state?.windows).toContainEqual(
        expect.objectContaining({ name: "manual:requestsPerMinute", remaining: 8 }),
      );
      expect(state?.windows).toContainEqual(
        expect.objectContaining({ name: "manual:concurrentRequests", remaining: 3 }),
      );
    });

    it("shows cooling_down with the cooldown end and reason", async () => {
      const { store } = get();
      const lease = await mustAcquire(store, req([B]));
      await store.settle(lease, settleInput(rateLimited("entry", T0 + 12_000)));
      const [state] = await store.entryStates([B]);
      expect(state).toMatchObject({ status: "cooling_down", cooldownUntil: T0 + 12_000 });
      expect(state?.reason).toContain("rate_limited");
    });

    it("clearCooldown removes cooldowns, streaks, breaker state and header windows", async () => {
      const { store, clock } = get();
      for (let i = 0; i < POLICY.circuitThreshold; i++) {
        const lease = await mustAcquire(store, req([B]));
        await store.settle(lease, settleInput(FAIL));
      }
      clock.set(T0 + POLICY.circuitBaseMs);
      const probe = await mustAcquire(store, req([B]));
      await store.settle(
        probe,
        settleInput(rateLimited("provider"), {
          windows: [{ name: "requests", unit: "requests", remaining: 0, resetAt: T0 + 99_000 }],
        }),
      );
      expect((await store.entryStates([B]))[0]?.status).toBe("circuit_open");

      await store.clearCooldown(B);
      const [state] = await store.entryStates([B]);
      expect(state).toMatchObject({
        status: "available",
        cooldownUntil: null,
        consecutiveFailures: 0,
        windows: [],
      });
      const again = await mustAcquire(store, req([B]));
      const res = await store.settle(again, settleInput(rateLimited("provider")));
      expect(res.cooldownUntil).toBe(clock.now() + POLICY.rateLimitBaseMs);
    });

    it("reports recent use of the entry and of its provider account, decaying with time", async () => {
      const { store, clock } = get();
      const other = entry("groq", "llama-8b");
      for (const target of [A, A, other]) {
        const lease = await mustAcquire(store, req([target]));
        await store.settle(lease, settleInput(OK, { tokensUsed: 100 }));
      }
      // A refused attempt used nothing.
      const refused = await mustAcquire(store, req([A]));
      await store.settle(refused, settleInput(rateLimited("entry")));
      const [a, b] = await store.entryStates([A, other]);
      // A young sum is divided by the time it has had to fill, never less than a fifth of the
      // window (5 min): n requests just now read as n a minute.
      expect(a?.burn?.entry.requestsPerMinute).toBeCloseTo(2, 6);
      expect(a?.burn?.entry.tokensPerMinute).toBeCloseTo(200, 6);
      expect(a?.burn?.provider.requestsPerMinute).toBeCloseTo(3, 6);
      expect(b?.burn?.entry.requestsPerMinute).toBeCloseTo(1, 6);
      clock.advance(300_000);
      const [later] = await store.entryStates([A]);
      // Decayed by e^-1, over the 1 - e^-1 of the window the sum has existed for.
      const expected = (2 * Math.exp(-1) * 60_000) / (300_000 * (1 - Math.exp(-1)));
      expect(later?.burn?.entry.requestsPerMinute).toBeCloseTo(expected, 6);
    });

    it("reads a steady rate as that rate, over the configured window", async () => {
      const { store, clock } = get();
      const steady = entry("steady", "m");
      const policy = { ...POLICY, burnTauMs: 60_000 };
      // One request a second for two minutes: 60 a minute.
      for (let i = 0; i < 120; i++) {
        const lease = await mustAcquire(store, req([steady]));
        await store.settle(lease, { ...settleInput(OK, { tokensUsed: 10 }), policy });
        clock.advance(1_000);
      }
      const [a] = await store.entryStates([steady]);
      expect(a?.burn?.entry.requestsPerMinute).toBeGreaterThan(57);
      expect(a?.burn?.entry.requestsPerMinute).toBeLessThan(63);
      expect(a?.burn?.entry.tokensPerMinute).toBeGreaterThan(570);
    });
  });
}
