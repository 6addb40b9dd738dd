import { publicCause } from "../../lib/errors";
import type { LiveState } from "./live-state";

export type LiveStateListener = (state: LiveState) => void;

export interface LiveStateHub {
  /** Delivers the latest state at once (when there is one), then every new read. */
  subscribe(listener: LiveStateListener): () => void;
  /** Connected listeners; the hub reads Redis only while there is at least one. */
  size(): number;
}

export interface LiveStateHubOptions {
  read: () => Promise<LiveState>;
  /** Pause between the end of one read and the start of the next. */
  intervalMs: number;
}

/**
 * One poll loop per process, shared by every open live view: N browsers cost one Redis
 * pipeline per interval, not N. Polling Redis (rather than keyspace notifications, which are
 * off by default and lossy) keeps the gateways' hot path untouched.
 */
export function createLiveStateHub(options: LiveStateHubOptions): LiveStateHub {
  const listeners = new Set<LiveStateListener>();
  let latest: LiveState | null = null;
  let running = false;

  async function loop() {
    while (listeners.size > 0) {
      latest = await options.read().catch(
        (err: unknown): LiveState => ({
          kind: "error",
          at: Date.now(),
          message: publicCause(err),
        }),
      );
      for (const listener of listeners) listener(latest);
      await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
    }
    running = false;
    latest = null;
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      if (latest) listener(latest);
      if (!running) {
        running = true;
        void loop();
      }
      return () => {
        listeners.delete(listener);
      };
    },
    size: () => listeners.size,
  };
}
