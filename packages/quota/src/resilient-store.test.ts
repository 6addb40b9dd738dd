import { describe, expect, it } from "vitest";
import { createTestClock, entry, OK, req, settleInput, T0 } from "./contract-suite/fixtures";
import { createMemoryQuotaStore } from "./memory-store";
import { createResilientQuotaStore } from "./resilient-store";
import type { QuotaStore } from "./types";

const E = entry("p", "m");

/** A primary that fails on demand, standing in for Redis timing out with the socket still up. */
function flakyPrimary(clock: { now: () => number }) {
  const inner = createMemoryQuotaStore({ now: clock.now });
  const state = { failing: false, calls: 0 };
  const guard =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      state.calls += 1;
      if (state.failing) throw new Error("Command timed out");
      return fn(...a);
    };
  const store: QuotaStore = {
    ...inner,
    acquire: guard(inner.acquire),
    settle: guard(inner.settle),
    settleAndAcquire: guard(inner.settleAndAcquire),
    entryStates: guard(inner.entryStates),
  };
  return { store, inner, state };
}

describe("resilient store", () => {
  it("serves from the fallback on failure and retries the primary after the interval", async () => {
    const clock = createTestClock(T0);
    const primary = flakyPrimary(clock);
    const fallback = createMemoryQuotaStore({ now: clock.now });
    const errors: unknown[] = [];
    const store = createResilientQuotaStore({
      primary: primary.store,
      fallback,
      onError: (e) => errors.push(e),
      retryIntervalMs: 1_000,
      now: clock.now,
    });

    primary.state.failing = true;
    const local = await store.acquire(req([E]));
    expect(local.ok).toBe(true);
    expect(store.health()).toBe("degraded");
    expect(errors).toHaveLength(1);

    primary.state.failing = false;
    const callsBefore = primary.state.calls;
    await store.acquire(req([E]));
    expect(primary.state.calls).toBe(callsBefore);
    expect((await fallback.entryStates([E]))[0]?.inFlight).toBe(2);

    clock.advance(1_000);
    const shared = await store.acquire(req([E]));
    expect(store.health()).toBe("ok");
    expect((await primary.inner.entryStates([E]))[0]?.inFlight).toBe(1);

    if (!local.ok || !shared.ok) throw new Error("expected leases");
    await store.settle(local.lease, settleInput(OK));
    expect((await fallback.entryStates([E]))[0]?.inFlight).toBe(1);
    const [, next] = await store.settleAndAcquire(shared.lease, settleInput(OK), req([E]));
    expect(next.ok).toBe(true);
    expect((await primary.inner.entryStates([E]))[0]?.inFlight).toBe(1);
  });

  it("applies a primary lease's outcome locally when the primary fails at settle", async () => {
    const clock = createTestClock(T0);
    const primary = flakyPrimary(clock);
    const fallback = createMemoryQuotaStore({ now: clock.now });
    const store = createResilientQuotaStore({ primary: primary.store, fallback, now: clock.now });
    const lease = await store.acquire(req([E]));
    if (!lease.ok) throw new Error("expected a lease");
    primary.state.failing = true;
    const res = await store.settle(
      lease.lease,
      settleInput({ kind: "rate_limited", scope: "entry", retryAt: T0 + 5_000, reason: "429" }),
    );
    expect(res.cooldownUntil).toBe(T0 + 5_000);
    const next = await store.acquire(req([E]));
    expect(next).toMatchObject({ ok: false, retryAt: T0 + 5_000 });
  });
});
