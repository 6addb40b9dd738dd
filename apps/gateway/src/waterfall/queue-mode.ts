import type { Settings } from "@429chain/contracts";
import { GatewayError } from "../errors";

/**
 * v1 `queueMode`: when a chain is exhausted for lack of quota, hold the request until the
 * earliest entry frees (bounded by queueMaxWaitMs and queueMaxSize waiting per chain on this
 * replica) instead of failing.
 */
export class QueueMode {
  private readonly waiting = new Map<string, number>();

  async run<T>(
    settings: Settings,
    chain: string,
    signal: AbortSignal,
    attempt: () => Promise<T>,
  ): Promise<T> {
    const giveUpAt = Date.now() + settings.queueMaxWaitMs;
    for (;;) {
      try {
        return await attempt();
      } catch (err) {
        if (!settings.queueMode || !(err instanceof GatewayError) || err.status !== 429) throw err;
        const waitMs = Number(err.headers["retry-after"] ?? "1") * 1000;
        const count = this.waiting.get(chain) ?? 0;
        if (Date.now() + waitMs > giveUpAt || count >= settings.queueMaxSize) throw err;
        this.waiting.set(chain, count + 1);
        try {
          await sleep(waitMs, signal);
        } finally {
          this.waiting.set(chain, (this.waiting.get(chain) ?? 1) - 1);
        }
        if (signal.aborted) throw err;
      }
    }
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
