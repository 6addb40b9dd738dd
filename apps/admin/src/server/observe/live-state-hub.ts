import { publicCause } from "../../lib/errors";
import type { LiveState } from "./live-state";

export interface LiveHub<T> {
  /** Delivers the latest state at once (when there is one), then every new read. */
  subscribe(listener: (state: T) => void): () => void;
  /** Connected listeners; the hub reads only while there is at least one. */
  size(): number;
}

export type LiveStateHub = LiveHub<LiveState>;

export interface LiveHubOptions<T> {
  read: () => Promise<T>;
  /** Pause between the end of one read and the start of the next. */
  intervalMs: number;
  /** The state to deliver when a read throws. */
  failed: (message: string) => T;
}

/** The Rate limits page's hub. */
export function createLiveStateHub(
  options: Omit<LiveHubOptions<LiveState>, "failed">,
): LiveStateHub {
  return createLiveHub({
    ...options,
    failed: (message) => ({ kind: "error", at: Date.now(), message }),
  });
}

/**
 * One poll loop per process, shared by every open live view: N browsers cost one Redis
 * pipeline (or one call to the gateway) per interval, not N. Polling Redis (rather than keyspace notifications, which are
 * off by default and lossy) keeps the gateways' hot path untouched.
 */
export function createLiveHub<T>(options: LiveHubOptions<T>): LiveHub<T> {
  const listeners = new Set<(state: T) => void>();
  let latest: T | null = null;
  let running = false;

  async function loop() {
    while (listeners.size > 0) {
      latest = await options.read().catch((err: unknown) => options.failed(publicCause(err)));
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
