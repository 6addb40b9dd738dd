import type { LimitScope, LimitUnit, RateLimits } from "@429chain/contracts";
import type { EntryPolicy } from "./types";

export type WindowedLimitName = Exclude<keyof RateLimits, "concurrentRequests">;

export const WINDOWED_LIMITS: readonly {
  name: WindowedLimitName;
  unit: LimitUnit;
  windowMs: number;
}[] = [
  { name: "requestsPerMinute", unit: "requests", windowMs: 60_000 },
  { name: "requestsPerHour", unit: "requests", windowMs: 3_600_000 },
  { name: "requestsPerDay", unit: "requests", windowMs: 86_400_000 },
  { name: "tokensPerMinute", unit: "tokens", windowMs: 60_000 },
  { name: "tokensPerDay", unit: "tokens", windowMs: 86_400_000 },
];

export interface WindowedLimit {
  scope: LimitScope;
  name: WindowedLimitName;
  unit: LimitUnit;
  windowMs: number;
  limit: number;
}

/** Configured windowed limits of an entry, provider scope first. */
export function windowedLimitsOf(entry: EntryPolicy): WindowedLimit[] {
  const out: WindowedLimit[] = [];
  const scopes: [LimitScope, RateLimits | undefined][] = [
    ["provider", entry.providerLimits],
    ["entry", entry.modelLimits],
  ];
  for (const [scope, limits] of scopes) {
    for (const def of WINDOWED_LIMITS) {
      const limit = limits?.[def.name];
      if (limit !== undefined) out.push({ scope, ...def, limit });
    }
  }
  return out;
}

export function bucketOf(at: number, windowMs: number): number {
  return Math.floor(at / windowMs);
}

/**
 * Sliding-window estimate: the previous fixed bucket weighted by the part of it still inside
 * the window, plus the current bucket. Same formula as the Lua script, so both stores agree.
 */
export function slidingUsed(prev: number, cur: number, elapsed: number, windowMs: number): number {
  return prev * (1 - elapsed / windowMs) + cur;
}
