import type { Settings } from "@429chain/contracts";
import { GatewayError } from "../errors";

/**
 * v1 `queueMode`: when a chain is exhausted for lack of quota, hold the request until the
 * earliest entry frees (bounded by queueMaxWaitMs) instead of failing. At most queueMaxSize
 * requests wait per queue on this replica, and queues exist only for what the config names
 * (a chain, or the provider of a direct `provider/model` request), so whatever `model` a
 * client sends, this replica holds a bounded number of waiting requests.
 */
export class QueueMode {
  private readonly waiting = new Map<string, number>();

  async run<T>(
    settings: Settings,
    queue: string,
    signal: AbortSignal,
    attempt: () => Promise<T>,
  ): Promise<T> {
    const giveUpAt = Date.now() + settings.queueMaxWaitMs;
    for (;;) {
      try {
        return await attempt();
      } catch (err) {
        if (!settings.queueMode || !(err instanceof GatewayError) || err.status !== 429) throw err;
        const wakeAt = Math.max(err.retryAt ?? 0, Date.now() + 100);
        const count = this.waiting.get(queue) ?? 0;
        if (wakeAt > giveUpAt || count >= settings.queueMaxSize) throw err;
        this.waiting.set(queue, count + 1);
        try {
          await sleep(wakeAt - Date.now(), signal);
        } finally {
          const left = (this.waiting.get(queue) ?? 1) - 1;
          if (left > 0) this.waiting.set(queue, left);
          else this.waiting.delete(queue);
        }
        if (signal.aborted) throw err;
      }
    }
  }

  /** Requests waiting on this replica (for tests and metrics). */
  size(): number {
    let n = 0;
    for (const count of this.waiting.values()) n += count;
    return n;
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
