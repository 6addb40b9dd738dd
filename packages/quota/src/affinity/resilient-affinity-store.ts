import { createFailover } from "../failover";
import type { AffinityStore } from "./affinity-store";

/**
 * Redis, falling back to this replica's own memory while Redis fails, by the quota store's
 * failover rule (no command timeout paid per request while it is down). Affinity is only a
 * preference, so nothing here ever fails a request: at worst a conversation starts at the top
 * of its chain.
 */
export function createResilientAffinityStore(opts: {
  primary: AffinityStore;
  fallback: AffinityStore;
  /** The primary connection's state (ioredis "ready" → "ok"). */
  primaryHealth: () => "ok" | "degraded";
  onError?: (err: unknown) => void;
  retryIntervalMs?: number;
  now?: () => number;
}): AffinityStore {
  const failover = createFailover({
    primaryHealth: opts.primaryHealth,
    onError: opts.onError,
    retryIntervalMs: opts.retryIntervalMs,
    now: opts.now,
  });
  const { primary, fallback } = opts;
  return {
    recall: (conversation, ttlMs) =>
      failover.run(
        () => primary.recall(conversation, ttlMs),
        () => fallback.recall(conversation, ttlMs),
      ),
    remember: (conversation, entry, ttlMs) =>
      failover.run(
        () => primary.remember(conversation, entry, ttlMs),
        () => fallback.remember(conversation, entry, ttlMs),
      ),
  };
}
