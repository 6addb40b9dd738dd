import { describe, expect, it } from "vitest";
import {
  type ContractContext,
  entry,
  expectSkipped,
  FAIL,
  MID_STREAM,
  mustAcquire,
  OK,
  POLICY,
  req,
  settleInput,
  T0,
} from "./fixtures";

const A = entry("cerebras", "llama3.1-8b");

async function failTimes(ctx: ContractContext, n: number): Promise<number | null> {
  let until: number | null = null;
  for (let i = 0; i < n; i++) {
    const lease = await mustAcquire(ctx.store, req([A]));
    until = (await ctx.store.settle(lease, settleInput(FAIL))).cooldownUntil;
  }
  return until;
}

export function describeCircuitContract(get: () => ContractContext): void {
  describe("circuit breaker", () => {
    it("opens after circuitThreshold consecutive failures; an ok resets the count", async () => {
      const ctx = get();
      expect(await failTimes(ctx, 2)).toBeNull();
      const ok = await mustAcquire(ctx.store, req([A]));
      await ctx.store.settle(ok, settleInput(OK));
      expect(await failTimes(ctx, 2)).toBeNull();
      expect((await ctx.store.entryStates([A]))[0]?.consecutiveFailures).toBe(2);
      const timeout = await mustAcquire(ctx.store, req([A]));
      const res = await ctx.store.settle(
        timeout,
        settleInput({ kind: "timeout", phase: "first_byte", reason: "slow" }),
      );
      expect(res.cooldownUntil).toBe(T0 + POLICY.circuitBaseMs);
      expectSkipped(await ctx.store.acquire(req([A])), "circuit_open", T0 + POLICY.circuitBaseMs);
      const [state] = await ctx.store.entryStates([A]);
      expect(state).toMatchObject({ status: "circuit_open", consecutiveFailures: 3 });
    });

    it("lets exactly one probe through when half-open, across store instances", async () => {
      const ctx = get();
      await failTimes(ctx, POLICY.circuitThreshold);
      ctx.clock.set(T0 + POLICY.circuitBaseMs);
      const probe = await mustAcquire(ctx.store, req([A]));
      const other = await ctx.peer.acquire(req([A]));
      expectSkipped(other, "circuit_open");
      expect(other.skipped[0]?.until).toBe(probe.acquiredAt + 30_000);
      expectSkipped(await ctx.store.acquire(req([A])), "circuit_open");
      expect((await ctx.store.entryStates([A]))[0]?.status).toBe("circuit_open");
    });

    it("hands the probe on at once when the probe is cancelled, whether or not its lease says it holds it", async () => {
      const ctx = get();
      await failTimes(ctx, POLICY.circuitThreshold);
      ctx.clock.set(T0 + POLICY.circuitBaseMs);
      const probe = await mustAcquire(ctx.store, req([A]));
      expect(probe.holds?.probe).toBe(true);
      await ctx.store.settle(probe, settleInput({ kind: "cancelled" }));
      // A lease that does not say what it holds is settled as if it held everything.
      const next = await mustAcquire(ctx.peer, req([A]));
      expectSkipped(await ctx.store.acquire(req([A])), "circuit_open");
      await ctx.peer.settle({ ...next, holds: undefined }, settleInput({ kind: "cancelled" }));
      const third = await mustAcquire(ctx.store, req([A]));
      // A lease that took no probe says so, and its settle leaves the probe alone.
      const plain = await mustAcquire(ctx.store, req([entry("cerebras", "other")]));
      expect(plain.holds?.probe).toBe(false);
      await ctx.store.settle(plain, settleInput({ kind: "cancelled" }));
      expectSkipped(await ctx.peer.acquire(req([A])), "circuit_open", third.acquiredAt + 30_000);
    });

    it("closes the circuit when the probe succeeds", async () => {
      const ctx = get();
      await failTimes(ctx, POLICY.circuitThreshold);
      ctx.clock.set(T0 + POLICY.circuitBaseMs);
      const probe = await mustAcquire(ctx.store, req([A]));
      expect((await ctx.store.settle(probe, settleInput(OK))).cooldownUntil).toBeNull();
      await mustAcquire(ctx.store, req([A]));
      await mustAcquire(ctx.peer, req([A]));
      const [state] = await ctx.store.entryStates([A]);
      expect(state).toMatchObject({ consecutiveFailures: 0, inFlight: 2 });
      expect(state?.status).not.toBe("circuit_open");
    });

    it("reopens with a doubled period when the probe fails, capped at circuitMaxMs", async () => {
      const ctx = get();
      await failTimes(ctx, POLICY.circuitThreshold);
      let openFor = POLICY.circuitBaseMs;
      const periods: number[] = [];
      for (let i = 0; i < 3; i++) {
        ctx.clock.advance(openFor);
        const probe = await mustAcquire(ctx.store, req([A]));
        const { cooldownUntil } = await ctx.store.settle(probe, settleInput(FAIL));
        openFor = (cooldownUntil ?? 0) - ctx.clock.now();
        periods.push(openFor);
      }
      expect(periods).toEqual([20_000, 40_000, 40_000]);
    });

    it("lets another probe through once an unsettled probe's lease expires", async () => {
      const ctx = get();
      await failTimes(ctx, POLICY.circuitThreshold);
      ctx.clock.set(T0 + POLICY.circuitBaseMs);
      await mustAcquire(ctx.store, req([A], 0, 5_000));
      ctx.clock.advance(4_999);
      expectSkipped(await ctx.peer.acquire(req([A])), "circuit_open");
      ctx.clock.advance(1);
      expect((await ctx.peer.acquire(req([A]))).ok).toBe(true);
    });

    it("a success of a lease taken before the circuit opened does not close it", async () => {
      const ctx = get();
      const stale = await mustAcquire(ctx.store, req([A]));
      ctx.clock.advance(1);
      await failTimes(ctx, POLICY.circuitThreshold);
      await ctx.store.settle(stale, settleInput(OK));
      expectSkipped(await ctx.store.acquire(req([A])), "circuit_open", T0 + 1 + 10_000);
      ctx.clock.set(T0 + 1 + POLICY.circuitBaseMs);
      expect((await ctx.store.acquire(req([A]))).ok).toBe(true);
    });
  });

  describe("mid-stream failures", () => {
    it("cool down after midStreamThreshold in a row, doubling per trip up to the cap", async () => {
      const ctx = get();
      const periods: number[] = [];
      for (let trip = 0; trip < 4; trip++) {
        const first = await mustAcquire(ctx.store, req([A]));
        expect((await ctx.store.settle(first, settleInput(MID_STREAM))).cooldownUntil).toBeNull();
        const second = await mustAcquire(ctx.store, req([A]));
        const { cooldownUntil } = await ctx.store.settle(second, settleInput(MID_STREAM));
        periods.push((cooldownUntil ?? 0) - ctx.clock.now());
        expectSkipped(await ctx.store.acquire(req([A])), "cooldown", cooldownUntil);
        ctx.clock.set(cooldownUntil ?? 0);
      }
      expect(periods).toEqual([5_000, 10_000, 20_000, 20_000]);
      const [state] = await ctx.store.entryStates([A]);
      expect(state?.consecutiveFailures).toBe(0);
    });

    it("an ok in between resets the mid-stream streak", async () => {
      const ctx = get();
      for (const outcome of [MID_STREAM, OK, MID_STREAM, OK, MID_STREAM]) {
        const lease = await mustAcquire(ctx.store, req([A]));
        expect((await ctx.store.settle(lease, settleInput(outcome))).cooldownUntil).toBeNull();
      }
    });
  });
}
