import type { BurnRate } from "@429chain/contracts";
import { rules } from "../rules/compile";

/**
 * Recent use as an exponentially weighted sum: each request adds 1 (and its tokens) and the
 * sum decays by e^(-Δt/τ), so sum/τ is the rate over roughly the last τ. One small hash per
 * scope, updated at settle in the same script, read with the entry's state; no buckets to
 * sweep. τ is settings.burnRateWindowMs, stored with the sum so a reader needs no settings.
 * The decay and the addition are rules of rules/table.ts, which lua/settle-script.ts runs too.
 */
export const BURN_TAU_MS = 300_000;

export interface StoredBurn {
  /** Decayed request count. */
  r: number;
  /** Decayed token count. */
  t: number;
  /** When r and t were last decayed (epoch ms). */
  at: number;
  /** When this scope was first used (epoch ms), while the hash lived. */
  since: number;
  /** The time constant the sums decay with. */
  tau: number;
}

export function decayBurn(stored: StoredBurn | null, now: number, tau = BURN_TAU_MS): StoredBurn {
  if (!stored) return { r: 0, t: 0, at: now, since: now, tau };
  const f = rules.burnDecay(now, stored.at, stored.tau);
  return { ...stored, r: stored.r * f, t: stored.t * f, at: now };
}

export function addBurn(
  stored: StoredBurn | null,
  now: number,
  tokens: number,
  requests = 1,
  tau = BURN_TAU_MS,
): StoredBurn {
  const f = stored ? rules.burnDecay(now, stored.at, stored.tau) : 1;
  const r = rules.burnAdd(stored?.r ?? 0, f, requests);
  const t = rules.burnAdd(stored?.t ?? 0, f, tokens);
  return { r, t, at: now, since: stored?.since ?? now, tau };
}

/**
 * Use per minute. A sum that began `age` ago has only had 1 - e^(-age/τ) of τ to fill, so it
 * is divided by that span (the usual bias correction of a young average), never by less than
 * τ/5 so a single fresh request does not read as a flood.
 */
export function burnRateOf(stored: StoredBurn | null, now: number): BurnRate {
  if (!stored) return { requestsPerMinute: 0, tokensPerMinute: 0 };
  const d = decayBurn(stored, now);
  const age = Math.max(0, now - d.since);
  const span = Math.max(d.tau * (1 - Math.exp(-age / d.tau)), d.tau / 5);
  const perMinute = 60_000 / span;
  return { requestsPerMinute: d.r * perMinute, tokensPerMinute: d.t * perMinute };
}

export function parseBurn(hash: Record<string, string> | null | undefined): StoredBurn | null {
  if (!hash || hash.at === undefined) return null;
  const at = Number(hash.at);
  const burn = {
    r: Number(hash.r),
    t: Number(hash.t),
    at,
    // Hashes written before these fields existed: a full-grown sum of the default window.
    since: hash.s === undefined ? 0 : Number(hash.s),
    tau: hash.tau === undefined ? BURN_TAU_MS : Number(hash.tau),
  };
  return Object.values(burn).every(Number.isFinite) && burn.tau > 0 ? burn : null;
}

/** The hash fields a StoredBurn is written as (the Lua writes the same names). */
export function burnFields(burn: StoredBurn): Record<string, string> {
  return {
    r: String(burn.r),
    t: String(burn.t),
    at: String(burn.at),
    s: String(burn.since),
    tau: String(burn.tau),
  };
}
