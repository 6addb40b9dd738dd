import { describe, expect, it } from "vitest";
import {
  createMemoryLoginRateLimiter,
  createResilientLoginRateLimiter,
  LOGIN_LIMITS,
  LOGIN_SLOWDOWN,
  type LoginRateLimiter,
  slowdownDelayMs,
} from "./login-rate-limit";

describe("slowdownDelayMs", () => {
  it("answers the first failures at once, then doubles the wait up to the cap", () => {
    const { freeFailures, maxDelayMs } = LOGIN_SLOWDOWN;
    expect(slowdownDelayMs(0)).toBe(0);
    expect(slowdownDelayMs(freeFailures)).toBe(0);
    expect(slowdownDelayMs(freeFailures + 1)).toBe(250);
    expect(slowdownDelayMs(freeFailures + 2)).toBe(500);
    expect(slowdownDelayMs(freeFailures + 5)).toBe(maxDelayMs);
    expect(slowdownDelayMs(1_000_000)).toBe(maxDelayMs);
  });
});

describe("memory login rate limiter", () => {
  it("forgets a window once it is over", async () => {
    let now = 0;
    const limiter = createMemoryLoginRateLimiter(() => now);
    for (let i = 0; i < LOGIN_LIMITS.accountAddress.limit; i++) {
      await limiter.attempt("ada@example.com", "203.0.113.7");
    }
    expect(await limiter.attempt("ada@example.com", "203.0.113.7")).toMatchObject({
      allowed: false,
      reason: "account_address",
    });
    now += LOGIN_LIMITS.accountAddress.windowSeconds * 1000;
    expect(await limiter.attempt("ada@example.com", "203.0.113.7")).toMatchObject({
      allowed: true,
    });
  });

  it("clears the pair, not the failures, on success", async () => {
    const limiter = createMemoryLoginRateLimiter();
    for (let i = 0; i < LOGIN_SLOWDOWN.freeFailures + 1; i++) await limiter.failed("ada@x.org");
    await limiter.succeeded("ADA@x.org", "203.0.113.7");
    expect(await limiter.attempt("ada@x.org", "203.0.113.7")).toEqual({
      allowed: true,
      delayMs: 250,
      accountFailures: LOGIN_SLOWDOWN.freeFailures + 1,
    });
  });
});

describe("resilient login rate limiter", () => {
  it("falls back to the memory limiter when the primary fails", async () => {
    const broken: LoginRateLimiter = {
      attempt: async () => {
        throw new Error("redis down");
      },
      failed: async () => {
        throw new Error("redis down");
      },
      succeeded: async () => {
        throw new Error("redis down");
      },
    };
    const warnings: string[] = [];
    const limiter = createResilientLoginRateLimiter({
      primary: broken,
      fallback: createMemoryLoginRateLimiter(),
      primaryHealth: () => "ok",
      warn: (m) => warnings.push(m),
    });
    expect(await limiter.attempt("a@x.org", "203.0.113.7")).toMatchObject({ allowed: true });
    await limiter.failed("a@x.org");
    await limiter.succeeded("a@x.org", "203.0.113.7");
    // The first failure sends the limiter to local counts; it does not wait on Redis again
    // within the retry interval.
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("redis down");
  });
});
