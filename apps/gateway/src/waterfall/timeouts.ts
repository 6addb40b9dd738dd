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

/** A per-attempt abort controller chained to the request's signal, with a timer. */
export function attemptSignal(
  parent: AbortSignal,
  ms: number,
  reason: () => unknown,
): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(reason()), ms);
  const signal = AbortSignal.any([parent, controller.signal]);
  return { signal, clear: () => clearTimeout(timer) };
}
