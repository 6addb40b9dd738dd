import { describe, expect, it } from "vitest";
import {
  type ContractContext,
  entry,
  expectSkipped,
  mustAcquire,
  OK,
  POLICY,
  rateLimited,
  req,
  settleInput,
  T0,
} from "./fixtures";

const A = entry("groq", "llama-3:8b/instant");
const B = entry("openrouter", "meta/llama:free");
const A2 = entry("groq", "mixtral");

export function describeCooldownContract(get: () => ContractContext): void {
  describe("cooldowns", () => {
    it("reserves the first eligible entry and lists the ones before it as skipped", async () => {
      const { store } = get();
      const first = await mustAcquire(store, req([A, B]));
      expect(first.index).toBe(0);
      expect(first.entry).toEqual(A);
      expect(first.acquiredAt).toBe(T0);
      await store.settle(first, settleInput(rateLimited("entry", T0 + 5_000)));

      const next = await store.acquire(req([A, B]));
      expect(next.ok).toBe(true);
      if (!next.ok) return;
      expect(next.lease.index).toBe(1);
      expect(next.lease.entry).toEqual(B);
      expect(next.skipped).toEqual([
        { index: 0, reason: "cooldown", until: T0 + 5_000, detail: expect.any(String) },
      ]);
    });

    it("cools down until the upstream's retryAt, then allows the entry again", async () => {
      const { store, clock } = get();
      const lease = await mustAcquire(store, req([A]));
      const res = await store.settle(lease, settleInput(rateLimited("entry", T0 + 7_000)));
      expect(res.cooldownUntil).toBe(T0 + 7_000);
      clock.set(T0 + 6_999);
      expectSkipped(await store.acquire(req([A])), "cooldown", T0 + 7_000);
      clock.set(T0 + 7_000);
      expect((await store.acquire(req([A]))).ok).toBe(true);
    });

    it("doubles the default cooldown for consecutive 429s, capped at rateLimitMaxMs", async () => {
      const { store, clock } = get();
      const durations: number[] = [];
      for (let i = 0; i < 5; i++) {
        const lease = await mustAcquire(store, req([A]));
        const { cooldownUntil } = await store.settle(lease, settleInput(rateLimited()));
        durations.push((cooldownUntil ?? 0) - clock.now());
        clock.set(cooldownUntil ?? clock.now());
      }
      expect(durations).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
    });

    it("counts 429s of attempts that were in flight together once, not as consecutive", async () => {
      const { store, peer, clock } = get();
      const leases = [
        await mustAcquire(store, req([A])),
        await mustAcquire(peer, req([A])),
        await mustAcquire(store, req([A])),
      ];
      clock.set(T0 + 5);
      const ends: (number | null)[] = [];
      for (const [i, lease] of leases.entries()) {
        const s = i % 2 ? peer : store;
        ends.push((await s.settle(lease, settleInput(rateLimited()))).cooldownUntil);
      }
      expect(ends).toEqual([T0 + 1_005, T0 + 1_005, T0 + 1_005]);
      // The first attempt after the cooldown that also gets a 429 does escalate.
      clock.set(T0 + 1_005);
      const next = await mustAcquire(store, req([A]));
      const { cooldownUntil } = await store.settle(next, settleInput(rateLimited()));
      expect(cooldownUntil).toBe(T0 + 1_005 + 2_000);
    });

    it("never cools for less than the floor, whatever wait the upstream gave", async () => {
      const { store } = get();
      const zero = await mustAcquire(store, req([A]));
      // Gemini's retryDelay "0s": a hint rounded down to nothing.
      const res = await store.settle(zero, settleInput(rateLimited("entry", T0)));
      expect(res.cooldownUntil).toBe(T0 + POLICY.rateLimitMinMs);
      const other = await mustAcquire(store, req([B]));
      const exhausted = await store.settle(
        other,
        settleInput({ kind: "quota_exhausted", scope: "entry", retryAt: T0 + 1, reason: "" }),
      );
      expect(exhausted.cooldownUntil).toBe(T0 + POLICY.rateLimitMinMs);
    });

    it("never shortens a longer cooldown, whatever its kind", async () => {
      const { store } = get();
      const l1 = await mustAcquire(store, req([A]));
      const l2 = await mustAcquire(store, req([A]));
      const long = await store.settle(
        l1,
        settleInput({
          kind: "quota_exhausted",
          scope: "entry",
          retryAt: T0 + 3_600_000,
          reason: "",
        }),
      );
      expect(long.cooldownUntil).toBe(T0 + 3_600_000);
      const short = await store.settle(l2, settleInput(rateLimited("entry", T0 + 2_000)));
      expect(short.cooldownUntil).toBe(T0 + 3_600_000);
      expectSkipped(await store.acquire(req([A])), "cooldown", T0 + 3_600_000);
    });

    it("a stale success neither clears a sibling's cooldown nor resets the 429 streak", async () => {
      const { store, clock } = get();
      const slow = await mustAcquire(store, req([A]));
      clock.advance(10);
      const sibling = await mustAcquire(store, req([A]));
      clock.advance(10);
      const limited = await store.settle(sibling, settleInput(rateLimited()));
      expect(limited.cooldownUntil).toBe(T0 + 20 + 1_000);
      clock.advance(10);
      const late = await store.settle(slow, settleInput(OK));
      expect(late.cooldownUntil).toBe(T0 + 20 + 1_000);
      expectSkipped(await store.acquire(req([A])), "cooldown", T0 + 1_020);

      clock.set(T0 + 1_020);
      const again = await mustAcquire(store, req([A]));
      const second = await store.settle(again, settleInput(rateLimited()));
      expect(second.cooldownUntil).toBe(T0 + 1_020 + 2_000);

      clock.set(T0 + 3_020);
      const fresh = await mustAcquire(store, req([A]));
      clock.advance(1);
      await store.settle(fresh, settleInput(OK));
      const after = await mustAcquire(store, req([A]));
      const reset = await store.settle(after, settleInput(rateLimited()));
      expect(reset.cooldownUntil).toBe(clock.now() + POLICY.rateLimitBaseMs);
    });

    it("quota_exhausted cools down until retryAt, or for creditMs without one", async () => {
      const { store } = get();
      const l1 = await mustAcquire(store, req([A]));
      const withRetry = await store.settle(
        l1,
        settleInput({ kind: "quota_exhausted", scope: "entry", retryAt: T0 + 90_000, reason: "" }),
      );
      expect(withRetry.cooldownUntil).toBe(T0 + 90_000);
      const l2 = await mustAcquire(store, req([B]));
      const without = await store.settle(
        l2,
        settleInput({ kind: "quota_exhausted", scope: "entry", reason: "402" }),
      );
      expect(without.cooldownUntil).toBe(T0 + POLICY.creditMs);
      expectSkipped(await store.acquire(req([B])), "cooldown", T0 + POLICY.creditMs);
    });

    it("auth_failed at provider scope blocks every model of that provider only", async () => {
      const { store } = get();
      const lease = await mustAcquire(store, req([A]));
      const res = await store.settle(
        lease,
        settleInput({ kind: "auth_failed", scope: "provider", status: 401, reason: "bad key" }),
      );
      expect(res.cooldownUntil).toBe(T0 + POLICY.authFailedMs);
      const next = await store.acquire(req([A, A2, B]));
      expect(next.ok && next.lease.entry).toEqual(B);
      expect(next.skipped.map((s) => s.reason)).toEqual(["auth_failed", "auth_failed"]);
      const [state] = await store.entryStates([A2]);
      expect(state?.status).toBe("auth_failed");
      expect(state?.cooldownUntil).toBe(T0 + POLICY.authFailedMs);
    });

    it("a provider-scope 429 blocks sibling models; an entry-scope one does not", async () => {
      const { store } = get();
      const l1 = await mustAcquire(store, req([A]));
      await store.settle(l1, settleInput(rateLimited("entry")));
      expect((await store.acquire(req([A2]))).ok).toBe(true);
      const l2 = await mustAcquire(store, req([A2]));
      await store.settle(l2, settleInput(rateLimited("provider", T0 + 9_000)));
      const next = await store.acquire(req([A2, A, B]));
      expect(next.ok && next.lease.index).toBe(2);
      expect(next.skipped.map((s) => s.until)).toEqual([T0 + 9_000, T0 + 9_000]);
    });

    it("client_error and cancelled release the lease without any penalty", async () => {
      const { store } = get();
      for (const outcome of [
        { kind: "client_error", status: 400, reason: "bad" } as const,
        { kind: "cancelled" } as const,
      ]) {
        const lease = await mustAcquire(store, req([A]));
        expect((await store.settle(lease, settleInput(outcome))).cooldownUntil).toBeNull();
      }
      const [state] = await store.entryStates([A]);
      expect(state).toMatchObject({ status: "available", inFlight: 0, consecutiveFailures: 0 });
    });

    it("reports retryAt as the earliest time any skipped entry frees", async () => {
      const { store } = get();
      const la = await mustAcquire(store, req([A]));
      await store.settle(la, settleInput(rateLimited("entry", T0 + 50_000)));
      const lb = await mustAcquire(store, req([B]));
      await store.settle(lb, settleInput(rateLimited("entry", T0 + 20_000)));
      const none = await store.acquire(req([A, B]));
      expect(none).toEqual({
        ok: false,
        retryAt: T0 + 20_000,
        skipped: [
          expect.objectContaining({ index: 0, until: T0 + 50_000 }),
          expect.objectContaining({ index: 1, until: T0 + 20_000 }),
        ],
      });
      const empty = await store.acquire(req([]));
      expect(empty).toEqual({ ok: false, skipped: [], retryAt: null });
    });

    it("settleAndAcquire applies the outcome before picking the next entry", async () => {
      const { store } = get();
      const lease = await mustAcquire(store, req([A, B]));
      const [settled, next] = await store.settleAndAcquire(
        lease,
        settleInput(rateLimited()),
        req([A, B]),
      );
      expect(settled.cooldownUntil).toBe(T0 + 1_000);
      expect(next.ok && next.lease.entry).toEqual(B);
    });
  });
}
