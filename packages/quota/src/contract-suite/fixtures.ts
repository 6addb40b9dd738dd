import type { AttemptOutcome, RateLimits, RateLimitWindow } from "@429chain/contracts";
import { afterEach, beforeEach, expect } from "vitest";
import type {
  AcquireRequest,
  AcquireResult,
  CooldownPolicy,
  EntryPolicy,
  Lease,
  QuotaStore,
  SettleInput,
} from "../types";

export interface TestClock {
  now(): number;
  advance(ms: number): void;
  set(at: number): void;
}

export function createTestClock(start: number): TestClock {
  let t = start;
  return {
    now: () => t,
    advance(ms) {
      t += ms;
    },
    set(at) {
      t = at;
    },
  };
}

/** What a factory hands the suite: a store, a second instance on the same shared state. */
export interface ContractSubject {
  store: QuotaStore;
  /** Another instance over the same state (a second Redis client; the same memory state). */
  peer: QuotaStore;
  cleanup(): Promise<void>;
}

export type ContractFactory = (clock: TestClock) => Promise<ContractSubject>;

export interface ContractContext {
  clock: TestClock;
  store: QuotaStore;
  peer: QuotaStore;
}

/** A day boundary, so minute/hour/day buckets all start at T0. */
export const T0 = 1_700_006_400_000;
export const LEASE_TTL = 30_000;

export const POLICY: CooldownPolicy = {
  rateLimitBaseMs: 1_000,
  rateLimitMinMs: 500,
  rateLimitMaxMs: 8_000,
  creditMs: 3_600_000,
  authFailedMs: 600_000,
  circuitThreshold: 3,
  circuitBaseMs: 10_000,
  circuitMaxMs: 40_000,
  midStreamThreshold: 2,
  midStreamBaseMs: 5_000,
  midStreamMaxMs: 20_000,
  burnTauMs: 300_000,
};

export function entry(
  provider: string,
  model: string,
  extra: { providerLimits?: RateLimits; modelLimits?: RateLimits; headerScope?: "provider" } = {},
): EntryPolicy {
  return { provider, model, headerScope: "entry", ...extra };
}

export function req(
  entries: EntryPolicy[],
  estimatedTokens = 0,
  leaseTtlMs = LEASE_TTL,
): AcquireRequest {
  return { entries, estimatedTokens, leaseTtlMs };
}

export function settleInput(
  outcome: AttemptOutcome,
  extra: { windows?: RateLimitWindow[]; tokensUsed?: number } = {},
): SettleInput {
  return { outcome, windows: extra.windows ?? [], tokensUsed: extra.tokensUsed, policy: POLICY };
}

export const OK: AttemptOutcome = { kind: "ok" };
export const FAIL: AttemptOutcome = { kind: "upstream_error", status: 500, reason: "500" };
export const MID_STREAM: AttemptOutcome = {
  kind: "upstream_error",
  reason: "stream broke",
  midStream: true,
};

export function rateLimited(scope: "provider" | "entry" = "entry", retryAt?: number) {
  return { kind: "rate_limited", scope, retryAt, reason: "429" } as const;
}

export function leaseOf(result: AcquireResult): Lease {
  if (!result.ok) throw new Error(`expected a lease, got ${JSON.stringify(result)}`);
  return result.lease;
}

export async function mustAcquire(store: QuotaStore, request: AcquireRequest): Promise<Lease> {
  return leaseOf(await store.acquire(request));
}

export function expectSkipped(result: AcquireResult, reason: string, until?: number | null) {
  expect(result.ok).toBe(false);
  expect(result.skipped[0]?.reason).toBe(reason);
  if (until !== undefined) expect(result.skipped[0]?.until).toBe(until);
}

/** Registers per-test setup: a fresh clock at T0 and fresh state from the factory. */
export function useContractContext(factory: ContractFactory): () => ContractContext {
  let ctx: ContractContext | null = null;
  let cleanup: (() => Promise<void>) | null = null;
  beforeEach(async () => {
    const clock = createTestClock(T0);
    const subject = await factory(clock);
    ctx = { clock, store: subject.store, peer: subject.peer };
    cleanup = subject.cleanup;
  });
  afterEach(async () => {
    await cleanup?.();
    ctx = null;
  });
  return () => {
    if (!ctx) throw new Error("contract context used outside a test");
    return ctx;
  };
}
