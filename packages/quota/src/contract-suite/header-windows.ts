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
      const [state] = await ctx.store.entryStates([A]);
      expect(state).toMatchObject({ status: "cooling_down", cooldownUntil: T0 + 30_000 });
      ctx.clock.set(T0 + 30_000);
      expect((await ctx.store.acquire(req([A]))).ok).toBe(true);
    });

    it("decrements remaining on reserve so other replicas see it", async () => {
      const ctx = get();
      await report(ctx, [requests(2, T0 + 60_000)]);
      await mustAcquire(ctx.store, req([A]));
      await mustAcquire(ctx.peer, req([A]));
      expectSkipped(await ctx.store.acquire(req([A])), "header_quota", T0 + 60_000);
      expect((await headerWindow(ctx, "requests"))?.remaining).toBe(0);
    });

    it("within one window remaining only goes down (a stale response cannot raise it)", async () => {
      const ctx = get();
      await report(ctx, [requests(5, T0 + 60_000)]);
      await report(ctx, [requests(8, T0 + 60_500)]);
      expect(await headerWindow(ctx, "requests")).toMatchObject({
        remaining: 4,
        limit: 10,
        source: "header",
        scope: "entry",
        unit: "requests",
      });
      await report(ctx, [requests(2, T0 + 60_000)]);
      expect((await headerWindow(ctx, "requests"))?.remaining).toBe(2);
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

    it("checks token windows against the estimate, but never blocks a full window", async () => {
      const ctx = get();
      await report(ctx, [tokens(100, T0 + 60_000)]);
      expectSkipped(await ctx.store.acquire(req([A], 200)), "header_quota", T0 + 60_000);
      await mustAcquire(ctx.store, req([A], 60));
      expect((await headerWindow(ctx, "tokens"))?.remaining).toBe(40);

      await report(ctx, [tokens(1_000, T0 + 120_000)]);
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
      expect((await headerWindow(ctx, "requests", SHARED_2))?.scope).toBe("provider");
    });
  });
}
