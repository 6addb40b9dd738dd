import { setTimeout as delay } from "node:timers/promises";

interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Added to the timeout error so a failure says what was awaited. */
  description?: string;
  /** Stops waiting early; the wait rejects with the signal's reason. */
  signal?: AbortSignal;
}

/**
 * Polls until the predicate returns true. Meant for state outside the test process (a child
 * process, a port); in-process events should be awaited directly instead.
 */
export async function waitFor(
  predicate: () => boolean | Promise<boolean>,
  options: WaitForOptions = {},
): Promise<void> {
  const { timeoutMs = 5_000, intervalMs = 25 } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    options.signal?.throwIfAborted();
    try {
      if (await predicate()) return;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const what = options.description ? ` (${options.description})` : "";
      const cause = lastError instanceof Error ? `: last error ${lastError.message}` : "";
      throw new Error(`waitFor timed out after ${timeoutMs} ms${what}${cause}`);
    }
    await delay(intervalMs, undefined, { signal: options.signal }).catch(() => undefined);
  }
}
