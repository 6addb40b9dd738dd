import type { Settings } from "@429chain/contracts";
import type { CompiledEntry } from "../config/snapshot";

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
 * A per-attempt abort signal: aborted by the request's signal (with its reason) or by its own
 * timer. Plain listeners instead of AbortSignal.any, which costs more per request.
 */
export function attemptSignal(
  parent: AbortSignal,
  ms: number,
  reason: () => unknown,
): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener("abort", () => controller.abort(parent.reason), { once: true });
  const timer = setTimeout(() => controller.abort(reason()), ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}
