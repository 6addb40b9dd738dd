import type { KeyAdmission, KeyLimiter } from "./types";

/**
 * Redis, falling back to this replica's own counts while Redis is unreachable. An admission
 * settles where it was made; a failed reconciliation is reported and dropped (the budget
 * keeps the reservation, erring on the side of the budget).
 */
export function createResilientKeyLimiter(opts: {
  primary: KeyLimiter;
  fallback: KeyLimiter;
  onError?: (err: unknown) => void;
}): KeyLimiter {
  const guard = (admission: KeyAdmission): KeyAdmission =>
    admission.ok
      ? {
          ok: true,
          settle: (used) =>
            admission.settle(used).catch((err: unknown) => {
              opts.onError?.(err);
            }),
        }
      : admission;
  return {
    admit: (key, estimatedTokens) =>
      opts.primary.admit(key, estimatedTokens).then(guard, (err: unknown) => {
        opts.onError?.(err);
        return opts.fallback.admit(key, estimatedTokens);
      }),
  };
}
