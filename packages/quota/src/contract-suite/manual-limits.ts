import { describe, expect, it } from "vitest";
import {
  type ContractContext,
  entry,
  expectSkipped,
  FAIL,
  mustAcquire,
  OK,
  rateLimited,
  req,
  settleInput,
  T0,
} from "./fixtures";

const RPM = entry("mistral", "small", { modelLimits: { requestsPerMinute: 3 } });
const TPM = entry("mistral", "large", { modelLimits: { tokensPerMinute: 1_000 } });
const RPD = entry("gemini", "flash", { modelLimits: { requestsPerDay: 2 } });
const ACCOUNT = { requestsPerMinute: 2 };
const P1 = entry("acct", "model-1", { providerLimits: ACCOUNT });
const P2 = entry("acct", "model-2", { providerLimits: ACCOUNT });
const OTHER = entry("other", "model-1", { providerLimits: ACCOUNT });
const CONC = entry("local", "m", { modelLimits: { concurrentRequests: 2 } });
const CONC_P1 = entry("pool", "a", { providerLimits: { concurrentRequests: 1 } });
const CONC_P2 = entry("pool", "b", { providerLimits: { concurrentRequests: 1 } });

export function describeManualLimitContract(get: () => ContractContext): void {
  describe("manual limits", () => {
    it("enforces requestsPerMinute over a sliding window and says when it fits again", async () => {
      const { store, peer, clock } = get();
      await mustAcquire(store, req([RPM]));
      await mustAcquire(peer, req([RPM]));
      await mustAcquire(store, req([RPM]));
      // 3 in this minute: the next fits once a third of them has slid out of the window.
      const full = await store.acquire(req([RPM]));
      expectSkipped(full, "manual_limit", T0 + 80_000);
      expect(full.skipped[0]?.detail).toBe("manual:requestsPerMinute (entry)");
      clock.set(T0 + 79_999);
      expectSkipped(await store.acquire(req([RPM])), "manual_limit", T0 + 80_000);
      clock.set(T0 + 80_000);
      await mustAcquire(store, req([RPM]));
      expectSkipped(await store.acquire(req([RPM])), "manual_limit");
    });

    it("gives a request slot back when the upstream refused the attempt for its limits", async () => {
      const { store } = get();
      await mustAcquire(store, req([RPM]));
      await mustAcquire(store, req([RPM]));
      const refused = await mustAcquire(store, req([RPM]));
      expectSkipped(await store.acquire(req([RPM])), "manual_limit");
      await store.settle(refused, settleInput(rateLimited("entry", T0 + 1_000)));
      // The entry itself cools for that 429, but its declared minute has a slot again.
      const [state] = await store.entryStates([RPM]);
      expect(state?.windows.find((w) => w.name === "manual:requestsPerMinute")?.remaining).toBe(1);
    });

    it("shares provider-scope limits across the provider's models only", async () => {
      const { store } = get();
      await mustAcquire(store, req([P1]));
      await mustAcquire(store, req([P2]));
      const res = await store.acquire(req([P1, P2, OTHER]));
      expect(res.ok && res.lease.entry).toEqual(OTHER);
      expect(res.skipped.map((s) => s.detail)).toEqual([
        "manual:requestsPerMinute (provider)",
        "manual:requestsPerMinute (provider)",
      ]);
    });

    it("charges tokensPerMinute with the estimate", async () => {
      const { store } = get();
      await mustAcquire(store, req([TPM], 600));
      expectSkipped(await store.acquire(req([TPM], 600)), "manual_limit");
      await mustAcquire(store, req([TPM], 400));
      expectSkipped(await store.acquire(req([TPM], 1)), "manual_limit");
    });

    it("never blocks an estimate larger than the whole limit on an empty window", async () => {
      const { store } = get();
      await mustAcquire(store, req([TPM], 5_000));
      expectSkipped(await store.acquire(req([TPM], 5_000)), "manual_limit");
    });

    it("reserves at most the limit, so an absurd max_tokens cannot block the next window", async () => {
      const { store, clock } = get();
      // Never settled (a replica that crashed mid-request): its reservation ages out with its
      // bucket, and it was never more than one full window.
      await mustAcquire(store, req([TPM], Number.MAX_SAFE_INTEGER));
      const [state] = await store.entryStates([TPM]);
      expect(state?.windows.find((w) => w.name === "manual:tokensPerMinute")?.remaining).toBe(0);
      clock.set(T0 + 90_000);
      // Half of the previous minute still counts: 500 of 1,000.
      await mustAcquire(store, req([TPM], 500));
    });

    it("reconciles tokens at settle and refunds failed attempts", async () => {
      const { store } = get();
      const used = await mustAcquire(store, req([TPM], 600));
      await store.settle(used, settleInput(OK, { tokensUsed: 100 }));
      await mustAcquire(store, req([TPM], 800));
      expectSkipped(await store.acquire(req([TPM], 200)), "manual_limit");
      const failed = await mustAcquire(store, req([TPM], 100));
      await store.settle(failed, settleInput(FAIL, { tokensUsed: 0 }));
      const over = await mustAcquire(store, req([TPM], 100));
      await store.settle(over, settleInput(OK, { tokensUsed: 400 }));
      const [state] = await store.entryStates([TPM]);
      expect(state?.windows).toContainEqual({
        name: "manual:tokensPerMinute",
        source: "manual",
        scope: "entry",
        unit: "tokens",
        limit: 1_000,
        remaining: 0,
        resetAt: T0 + 60_000,
      });
    });

    it("charges reconciliation to the bucket of the acquire, not of the settle", async () => {
      const { store, clock } = get();
      const lease = await mustAcquire(store, req([TPM], 1_000));
      clock.set(T0 + 60_000);
      await store.settle(lease, settleInput(OK, { tokensUsed: 0 }));
      await mustAcquire(store, req([TPM], 1_000));
    });

    it("enforces requestsPerDay", async () => {
      const { store, clock } = get();
      await mustAcquire(store, req([RPD]));
      await mustAcquire(store, req([RPD]));
      const full = await store.acquire(req([RPD]));
      expectSkipped(full, "manual_limit", T0 + 86_400_000 + 43_200_000);
      clock.set(T0 + 86_400_000 + 43_200_000);
      await mustAcquire(store, req([RPD]));
    });

    it("caps concurrent requests and frees a slot on settle", async () => {
      const { store, peer } = get();
      const first = await mustAcquire(store, req([CONC]));
      await mustAcquire(peer, req([CONC]));
      const full = await store.acquire(req([CONC]));
      expect(full).toMatchObject({ ok: false, retryAt: null });
      expectSkipped(full, "concurrency", null);
      expect(full.skipped[0]?.detail).toBe("manual:concurrentRequests (entry)");
      await store.settle(first, settleInput(OK));
      await mustAcquire(store, req([CONC]));
    });

    it("caps provider-scope concurrency across models", async () => {
      const { store } = get();
      await mustAcquire(store, req([CONC_P1]));
      const full = await store.acquire(req([CONC_P2]));
      expectSkipped(full, "concurrency", null);
      expect(full.skipped[0]?.detail).toBe("manual:concurrentRequests (provider)");
    });

    it("frees the slot of a lease that is never settled once it expires", async () => {
      const { store, clock } = get();
      await mustAcquire(store, req([CONC], 0, 5_000));
      await mustAcquire(store, req([CONC], 0, 5_000));
      clock.advance(4_999);
      expectSkipped(await store.acquire(req([CONC])), "concurrency");
      clock.advance(1);
      await mustAcquire(store, req([CONC]));
      expect((await store.entryStates([CONC]))[0]?.inFlight).toBe(1);
    });
  });
}
