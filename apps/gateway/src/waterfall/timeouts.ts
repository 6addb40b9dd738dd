import type { Settings } from "@429chain/contracts";
import type { CompiledEntry } from "../config/snapshot";
import { AttemptAbort } from "../upstream/http-client";

export interface AttemptTimeouts {
  connectMs: number;
  /** Until the first token of a stream, or the whole answer when not streaming. */
  firstByteMs: number;
  /** Between two chunks of a stream. */
  idleMs: number;
}

/** Per-provider timeouts; v1's provider `timeout` overrides settings.requestTimeoutMs. */
export function attemptTimeouts(entry: CompiledEntry, s: Settings): AttemptTimeouts {
  const t = entry.provider.timeouts;
  return {
    connectMs: t?.connectMs ?? s.connectTimeoutMs,
    firstByteMs: t?.firstByteMs ?? entry.provider.timeout ?? s.requestTimeoutMs,
    idleMs: t?.idleMs ?? s.streamIdleTimeoutMs,
  };
}

/**
 * A per-attempt abort signal: aborted by the request's signal (with its reason), or by one
 * timer at the attempt's own limit or the request's deadline, whichever comes first (one
 * controller and one timer per attempt, not one more for the deadline). Plain listeners
 * instead of AbortSignal.any, which costs more per request.
 */
export function attemptSignal(
  parent: AbortSignal,
  limit: { ms: number; reason: () => unknown; deadlineAt: number },
): { signal: AbortSignal; clear(): void; release(): void } {
  const controller = new AbortController();
  const follow = () => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener("abort", follow, { once: true });
  const untilDeadline = limit.deadlineAt - Date.now();
  const timer =
    untilDeadline < limit.ms
      ? setTimeout(() => controller.abort(new AttemptAbort("deadline")), Math.max(0, untilDeadline))
      : setTimeout(() => controller.abort(limit.reason()), limit.ms);
  const clear = () => clearTimeout(timer);
  return {
    signal: controller.signal,
    /** Stops the timer; the signal still follows the request's (a stream being relayed). */
    clear,
    /**
     * Stops the timer and unhooks from the request's signal: for an attempt that is over, so
     * a request retried many times (queue mode) does not pile listeners on its signal.
     */
    release() {
      clear();
      parent.removeEventListener("abort", follow);
    },
  };
}
