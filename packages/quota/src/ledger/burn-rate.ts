import type { BurnRate } from "@429chain/contracts";

/**
 * Recent use as an exponentially weighted sum: each request adds 1 (and its tokens) and the
 * sum decays by e^(-Δt/τ), so sum/τ is the rate over roughly the last τ. One small hash per
 * scope, updated at settle in the same script, read with the entry's state; no buckets to
 * sweep. The Lua in lua/settle-script.ts applies the same formula.
 */
export const BURN_TAU_MS = 300_000;

export interface StoredBurn {
  /** Decayed request count. */
  r: number;
  /** Decayed token count. */
  t: number;
  /** When r and t were last decayed (epoch ms). */
  at: number;
}

export function decayBurn(stored: StoredBurn | null, now: number): StoredBurn {
  if (!stored) return { r: 0, t: 0, at: now };
  const f = Math.exp(-Math.max(0, now - stored.at) / BURN_TAU_MS);
  return { r: stored.r * f, t: stored.t * f, at: now };
}

export function addBurn(
  stored: StoredBurn | null,
  now: number,
  tokens: number,
  requests = 1,
): StoredBurn {
  const d = decayBurn(stored, now);
  return { r: d.r + requests, t: d.t + Math.max(0, tokens), at: now };
}

export function burnRateOf(stored: StoredBurn | null, now: number): BurnRate {
  const d = decayBurn(stored, now);
  const perMinute = 60_000 / BURN_TAU_MS;
  return { requestsPerMinute: d.r * perMinute, tokensPerMinute: d.t * perMinute };
}

export function parseBurn(hash: Record<string, string> | null | undefined): StoredBurn | null {
  if (!hash || hash.at === undefined) return null;
  const burn = { r: Number(hash.r), t: Number(hash.t), at: Number(hash.at) };
  return Number.isFinite(burn.r) && Number.isFinite(burn.t) && Number.isFinite(burn.at)
    ? burn
    : null;
}
