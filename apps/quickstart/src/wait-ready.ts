import { setTimeout as delay } from "node:timers/promises";

interface WaitOptions {
  /** Which HTTP statuses count as ready; any answer when unset. */
  accept?: (status: number) => boolean;
  timeoutMs: number;
  signal: AbortSignal;
}

/** Polls the URL until it answers as wanted; rejects on timeout or when the signal aborts. */
export async function waitUntilAnswers(url: string, opts: WaitOptions): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    opts.signal.throwIfAborted();
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000), redirect: "manual" });
      await res.body?.cancel();
      if (!opts.accept || opts.accept(res.status)) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() >= deadline) {
      throw new Error(`${url} did not answer within ${Math.round(opts.timeoutMs / 1000)} s`);
    }
    await delay(100, undefined, { signal: opts.signal });
  }
}
