export interface FailoverOptions {
  /** The primary's own view of its connection (ioredis status); "ok" once reconnected. */
  primaryHealth: () => "ok" | "degraded";
  /** Every primary failure, for metrics and logs. */
  onError?: (err: unknown) => void;
  /** After a failure, wait this long before trying a primary that still reports "ok". */
  retryIntervalMs?: number;
  now?: () => number;
}

/**
 * The one rule for serving from local state while Redis fails: after a failure the primary is
 * skipped (answers come from the fallback at once, not after a command timeout) until it
 * reports a fresh connection or `retryIntervalMs` has passed; then one call tries it again.
 */
export interface Failover {
  run<T>(onPrimary: () => Promise<T>, onFallback: () => Promise<T>): Promise<T>;
  /** True while answers come from the fallback. */
  degraded(): boolean;
}

export function createFailover(options: FailoverOptions): Failover {
  const now = options.now ?? Date.now;
  const retryIntervalMs = options.retryIntervalMs ?? 1_000;
  let degraded = false;
  let retryAt = 0;
  let lastHealth = options.primaryHealth();

  const usePrimary = () => {
    const health = options.primaryHealth();
    const reconnected = lastHealth !== "ok" && health === "ok";
    lastHealth = health;
    return !degraded || reconnected || (health === "ok" && now() >= retryAt);
  };

  return {
    async run(onPrimary, onFallback) {
      if (usePrimary()) {
        try {
          const result = await onPrimary();
          degraded = false;
          return result;
        } catch (err) {
          degraded = true;
          retryAt = now() + retryIntervalMs;
          options.onError?.(err);
        }
      }
      return onFallback();
    },
    degraded: () => degraded || options.primaryHealth() !== "ok",
  };
}
