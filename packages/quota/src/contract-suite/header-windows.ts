import type { RateLimitWindow } from "@429chain/contracts";
import { describe, expect, it } from "vitest";
import {
  type ContractContext,
  entry,
  expectSkipped,
  mustAcquire,
  OK,
  rateLimited,
  req,
  settleInput,
  T0,
} from "./fixtures";

const A = entry("openai", "gpt-4o-mini");
const SHARED_1 = entry("groq", "llama-a", { headerScope: "provider" });
const SHARED_2 = entry("groq", "llama-b", { headerScope: "provider" });

function requests(remaining: number, resetAt: number, limit = 10): RateLimitWindow {
  return { name: "requests", unit: "requests", limit, remaining, resetAt };
}

function tokens(remaining: number, resetAt: number, limit = 1_000): RateLimitWindow {
  return { name: "tokens", unit: "tokens", limit, remaining, resetAt };
}

async function report(ctx: ContractContext, windows: RateLimitWindow[], e = A, at?: number) {
  const lease = await mustAcquire(ctx.store, req([e]));
  if (at !== undefined) ctx.clock.set(at);
  await ctx.store.settle(lease, settleInput(OK, { windows }));
}

async function headerWindow(ctx: ContractContext, name: string, e = A) {
  const [state] = await ctx.store.entryStates([e]);
  return state?.windows.find((w) => w.name === `header:${name}`);
}

export function describeHeaderWindowContract(get: () => ContractContext): void {
  describe("header-reported windows", () => {
    it("skips an entry with remaining 0 until the window resets", async () => {
      const ctx = get();
      await report(ctx, [requests(0, T0 + 30_000)]);
      const res = await ctx.store.acquire(req([A]));
      expectSkipped(res, "header_quota", T0 + 30_000);
      expect(res.skipped[0]?.detail).toContain("header:requests");
      expect(res.skipped[0]?.detail).toBe("header:requests (entry)");
      const [state] = await ctx.store.entryStates([A]);
      expect(state).toMatchObject({ status: "cooling_down", cooldownUntil: T0 + 30_000 });
      ctx.clock.set(T0 + 30_000);
      expect((await ctx.store.acquire(req([A]))).ok).toBe(true);
    });

    it("counts requests in flight against the report on every replica", async () => {
      const ctx = get();
      await report(ctx, [requests(2, T0 + 60_000)]);
      ctx.clock.set(T0 + 1);
      await mustAcquire(ctx.store, req([A]));
      await mustAcquire(ctx.peer, req([A]));
      expectSkipped(await ctx.store.acquire(req([A])), "header_quota", T0 + 60_000);
      expect((await headerWindow(ctx, "requests"))?.remaining).toBe(0);
    });

    it("gives back what a finished request reserved but did not use", async () => {
      const ctx = get();
      await report(ctx, [tokens(1_000, T0 + 60_000)]);
      ctx.clock.set(T0 + 1);
      const big = await mustAcquire(ctx.store, req([A], 600));
      expectSkipped(await ctx.store.acquire(req([A], 600)), "header_quota", T0 + 60_000);
      // Served without a fresh report: it used 100 of the 600 it held.
      await ctx.store.settle(big, settleInput(OK, { tokensUsed: 100 }));
      expect((await headerWindow(ctx, "tokens"))?.remaining).toBe(900);
      await mustAcquire(ctx.store, req([A], 600));
    });

    it("gives an unfinished request's reservation back whole", async () => {
      const ctx = get();
      await report(ctx, [requests(1, T0 + 60_000)]);
      ctx.clock.set(T0 + 1);
      const failed = await mustAcquire(ctx.store, req([A]));
      expectSkipped(await ctx.store.acquire(req([A])), "header_quota");
      // A provider-wide 429 elsewhere would cool the entry; this one only gives the slot back.
      await ctx.store.settle(failed, settleInput({ kind: "cancelled" }));
      await mustAcquire(ctx.peer, req([A]));
    });

    it("gives a reservation back from a lease that does not say what it holds", async () => {
      const ctx = get();
      const first = await mustAcquire(ctx.store, req([A]));
      // The scope had reported nothing yet: no reservation was stored.
      expect(first.holds?.headerReservation).toBe(false);
      await ctx.store.settle(first, settleInput(OK, { windows: [requests(1, T0 + 60_000)] }));
      ctx.clock.set(T0 + 1);
      const held = await mustAcquire(ctx.store, req([A]));
      expect(held.holds?.headerReservation).toBe(true);
      expectSkipped(await ctx.store.acquire(req([A])), "header_quota");
      await ctx.store.settle({ ...held, holds: undefined }, settleInput({ kind: "cancelled" }));
      await mustAcquire(ctx.peer, req([A]));
    });

    it("replaces the local estimate with a fresher report, and keeps counting later requests", async () => {
      const ctx = get();
      await report(ctx, [requests(5, T0 + 60_000)]);
      ctx.clock.set(T0 + 10);
      const second = await mustAcquire(ctx.store, req([A]));
      ctx.clock.set(T0 + 20);
      await mustAcquire(ctx.store, req([A]));
      expect((await headerWindow(ctx, "requests"))?.remaining).toBe(3);
      // The upstream counted more leniently than we did: its answer to the request started
      // at T0+10 says 8 are left. The request started at T0+20 is not in that count.
      await ctx.store.settle(second, settleInput(OK, { windows: [requests(8, T0 + 60_000)] }));
      expect(await headerWindow(ctx, "requests")).toMatchObject({
        remaining: 7,
        limit: 10,
        source: "header",
        scope: "entry",
        unit: "requests",
      });
    });

    it("ignores a report older than the stored one (a slow response arriving late)", async () => {
      const ctx = get();
      const slow = await mustAcquire(ctx.store, req([A]));
      ctx.clock.set(T0 + 100);
      await report(ctx, [requests(2, T0 + 60_000)]);
      // The slow response started before the stored report's request: its 9 is stale.
      await ctx.store.settle(slow, settleInput(OK, { windows: [requests(9, T0 + 60_000)] }));
      expect((await headerWindow(ctx, "requests"))?.remaining).toBe(2);
    });

    it("charges a served request to the windows its response did not report", async () => {
      const ctx = get();
      await report(ctx, [requests(5, T0 + 60_000), tokens(1_000, T0 + 60_000)]);
      ctx.clock.set(T0 + 1);
      const lease = await mustAcquire(ctx.store, req([A], 50));
      await ctx.store.settle(
        lease,
        settleInput(OK, { tokensUsed: 40, windows: [requests(4, T0 + 60_000)] }),
      );
      expect((await headerWindow(ctx, "requests"))?.remaining).toBe(4);
      expect((await headerWindow(ctx, "tokens"))?.remaining).toBe(960);
    });

    it("takes the new values when the reset moves on by more than a second", async () => {
      const ctx = get();
      await report(ctx, [requests(1, T0 + 60_000)]);
      await report(ctx, [requests(9, T0 + 61_001)]);
      expect(await headerWindow(ctx, "requests")).toMatchObject({
        remaining: 9,
        resetAt: T0 + 61_001,
      });
    });

    it("takes the new values once the stored window has expired", async () => {
      const ctx = get();
      await report(ctx, [requests(0, T0 + 10_000)]);
      ctx.clock.set(T0 + 10_000);
      await report(ctx, [requests(7, T0 + 10_500)]);
      expect((await headerWindow(ctx, "requests"))?.remaining).toBe(7);
    });

    it("updates windows from a 429 response too", async () => {
      const ctx = get();
      const lease = await mustAcquire(ctx.store, req([A]));
      await ctx.store.settle(
        lease,
        settleInput(rateLimited("entry", T0 + 1_000), { windows: [requests(0, T0 + 45_000)] }),
      );
      ctx.clock.set(T0 + 1_000);
      expectSkipped(await ctx.store.acquire(req([A])), "header_quota", T0 + 45_000);
    });

    it("checks token windows against the estimate, never needing more than the limit", async () => {
      const ctx = get();
      await report(ctx, [tokens(100, T0 + 60_000)]);
      ctx.clock.set(T0 + 1);
      expectSkipped(await ctx.store.acquire(req([A], 200)), "header_quota", T0 + 60_000);
      await mustAcquire(ctx.store, req([A], 60));
      expect((await headerWindow(ctx, "tokens"))?.remaining).toBe(40);

      // A new window, reported by a request that started after the 60-token one did.
      ctx.clock.set(T0 + 2);
      await report(ctx, [tokens(1_000, T0 + 120_000)]);
      ctx.clock.set(T0 + 3);
      const big = await mustAcquire(ctx.store, req([A], 5_000));
      expect(big.reservedTokens).toBe(5_000);
      expectSkipped(await ctx.store.acquire(req([A], 1)), "header_quota", T0 + 120_000);
    });

    it("shares provider-scope windows across the provider's models", async () => {
      const ctx = get();
      await report(ctx, [requests(0, T0 + 20_000)], SHARED_1);
      const res = await ctx.store.acquire(req([SHARED_2, A]));
      expect(res.ok && res.lease.entry).toEqual(A);
      expect(res.skipped[0]).toMatchObject({ reason: "header_quota", until: T0 + 20_000 });
      expect(res.skipped[0]?.detail).toBe("header:requests (provider)");
      expect((await headerWindow(ctx, "requests", SHARED_2))?.scope).toBe("provider");
    });
  });
}
