import { createFailover } from "./failover";
import type { AcquireRequest, AcquireResult, Lease, QuotaStore } from "./types";

export interface ResilientQuotaStoreOptions {
  /** The shared store (Redis). */
  primary: QuotaStore;
  /** Local state served while the primary is failing (memory). */
  fallback: QuotaStore;
  /** Every primary failure, for the state-store error metric and logs. */
  onError?: (err: unknown) => void;
  /** After a failure, wait this long before trying a primary that still reports "ok". */
  retryIntervalMs?: number;
  now?: () => number;
}

/**
 * Serves from the primary store and falls back to local state when it fails, so a Redis outage
 * degrades cross-replica accuracy instead of failing requests. Leases remember which store
 * issued them and settle there. Comes back to the primary by itself: immediately once the
 * primary reports "ok" again (ioredis reconnected), or after retryIntervalMs for failures that
 * leave the connection up (command timeouts).
 */
export function createResilientQuotaStore(options: ResilientQuotaStoreOptions): QuotaStore {
  const { primary, fallback } = options;
  const localLeases = new WeakSet<Lease>();
  const { run, degraded } = createFailover({
    primaryHealth: () => primary.health(),
    onError: options.onError,
    retryIntervalMs: options.retryIntervalMs,
    now: options.now,
  });

  const markLocal = (result: AcquireResult): AcquireResult => {
    if (result.ok) localLeases.add(result.lease);
    return result;
  };
  const acquireLocal = async (req: AcquireRequest) => markLocal(await fallback.acquire(req));

  return {
    acquire: (req) =>
      run(
        () => primary.acquire(req),
        () => acquireLocal(req),
      ),
    // A primary lease whose settle fails is still applied locally, so its cooldown is not lost.
    settle: (lease, input) =>
      localLeases.has(lease)
        ? fallback.settle(lease, input)
        : run(
            () => primary.settle(lease, input),
            () => fallback.settle(lease, input),
          ),
    async settleAndAcquire(lease, input, req) {
      if (localLeases.has(lease)) {
        const settled = await fallback.settle(lease, input);
        return [
          settled,
          await run(
            () => primary.acquire(req),
            () => acquireLocal(req),
          ),
        ];
      }
      return run(
        () => primary.settleAndAcquire(lease, input, req),
        async () => {
          const [settled, next] = await fallback.settleAndAcquire(lease, input, req);
          return [settled, markLocal(next)];
        },
      );
    },
    // The local store writes at once; what the primary holds back leaves with its turn.
    sent: () => primary.sent(),
    entryStates: (entries) =>
      run(
        () => primary.entryStates(entries),
        () => fallback.entryStates(entries),
      ),
    async clearCooldown(entry) {
      await fallback.clearCooldown(entry);
      await run(
        () => primary.clearCooldown(entry),
        async () => {},
      );
    },
    health: () => (degraded() ? "degraded" : "ok"),
    async close() {
      await Promise.all([primary.close(), fallback.close()]);
    },
  };
}
