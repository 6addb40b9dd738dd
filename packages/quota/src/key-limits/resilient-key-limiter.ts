import { createFailover } from "../failover";
import type { KeyAdmission, KeyLimiter } from "./types";

/**
 * Redis, falling back to this replica's own counts while Redis is unreachable, by the same
 * failover rule as the quota store (no command timeout paid per request while it is down). An
 * admission settles where it was made; a failed reconciliation is reported and dropped (the
 * budget keeps the reservation, erring on the side of the budget).
 */
export function createResilientKeyLimiter(opts: {
  primary: KeyLimiter;
  fallback: KeyLimiter;
  /** The primary connection's state (ioredis "ready" → "ok"). */
  primaryHealth: () => "ok" | "degraded";
  onError?: (err: unknown) => void;
  retryIntervalMs?: number;
  now?: () => number;
}): KeyLimiter {
  const failover = createFailover({
    primaryHealth: opts.primaryHealth,
    onError: opts.onError,
    retryIntervalMs: opts.retryIntervalMs,
    now: opts.now,
  });
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
      failover.run(
        async () => guard(await opts.primary.admit(key, estimatedTokens)),
        () => opts.fallback.admit(key, estimatedTokens),
      ),
  };
}
