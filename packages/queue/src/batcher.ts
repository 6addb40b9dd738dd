import type { LogSinkStats } from "./log-sink";

export type SendBatch<T> = (items: T[]) => Promise<void>;

export interface BatcherOptions<T> {
  send: SendBatch<T>;
  /** Largest batch handed to `send`; reaching it triggers a send without waiting flushMs. */
  maxBatch?: number;
  /**
   * How long a partial batch waits for company before it is sent (default 200 ms): at a few
   * hundred requests per second that makes one queue job of dozens of logs instead of one
   * per request, and logs are for looking at later, not within milliseconds.
   */
  flushMs?: number;
  /** Hard cap on items held in memory (buffered + in flight). */
  maxBuffer?: number;
  /** A send unsettled by then is retried: safe, every sink dedupes by request id. */
  sendTimeoutMs?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** How long `close()` keeps trying to flush before giving up on what is left. */
  closeTimeoutMs?: number;
  onError?: (err: unknown) => void;
  /** Metric hook: called with the number of items just dropped. */
  onDrop?: (count: number) => void;
}
export interface Batcher<T> {
  enqueue(item: T): void;
  flush(): Promise<void>;
  close(): Promise<void>;
  stats(): LogSinkStats;
}

/**
 * One batching mechanism for every log sink. Overflow policy: the OLDEST item waiting in the
 * buffer is dropped (a batch already handed to `send` is kept and retried as a whole), because during a long outage recent traffic is what operators look at, and a
 * retried old batch is the likeliest to be a duplicate anyway. Sends are serial (one batch
 * in flight) so memory stays bounded and order is kept.
 */
export function createBatcher<T>(options: BatcherOptions<T>): Batcher<T> {
  const maxBatch = options.maxBatch ?? 200;
  const flushMs = options.flushMs ?? 200;
  const maxBuffer = Math.max(options.maxBuffer ?? 10_000, 1);
  const sendTimeoutMs = options.sendTimeoutMs ?? 5_000;
  const retryBaseMs = options.retryBaseMs ?? 100;
  const retryMaxMs = options.retryMaxMs ?? 5_000;
  const closeTimeoutMs = options.closeTimeoutMs ?? 5_000;

  let buffer: T[] = [];
  let inFlight = 0;
  let sent = 0;
  let dropped = 0;
  let failures = 0;
  let closed = false;
  /** Set when close() gives up: nothing is retried or put back after that. */
  let stopped = false;
  let running: Promise<unknown> | null = null;
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  const backoffDelay = () => Math.min(retryBaseMs * 2 ** Math.max(failures - 1, 0), retryMaxMs);

  const drop = (count: number) => {
    if (count <= 0) return;
    dropped += count;
    options.onDrop?.(count);
  };

  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(fn, ms);
    // A pending flush must not keep the process alive; close() is the shutdown path.
    timer.unref?.();
    return timer;
  };

  const clearTimers = () => {
    if (flushTimer) clearTimeout(flushTimer);
    if (retryTimer) clearTimeout(retryTimer);
    flushTimer = null;
    retryTimer = null;
  };

  /** Sends one batch; on failure puts it back at the front. Returns the error, if any. */
  async function sendOnce(): Promise<unknown> {
    const batch = buffer.splice(0, maxBatch);
    inFlight = batch.length;
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = later(sendTimeoutMs, () =>
          reject(new Error(`send timed out after ${sendTimeoutMs} ms`)),
        );
      });
      await Promise.race([options.send(batch), timeout]);
      sent += batch.length;
      failures = 0;
      return undefined;
    } catch (err) {
      failures += 1;
      if (stopped) {
        drop(batch.length);
        return err ?? new Error("send failed");
      }
      // Capacity counts in-flight items, so putting them back never exceeds maxBuffer.
      buffer = batch.concat(buffer);
      options.onError?.(err);
      return err ?? new Error("send failed");
    } finally {
      clearTimeout(timer);
      inFlight = 0;
    }
  }

  async function drainLoop(): Promise<unknown> {
    while (buffer.length > 0) {
      const err = await sendOnce();
      if (err !== undefined) return err;
    }
    return undefined;
  }

  /** At most one drain at a time; callers share it. Resolves to the error that stopped it. */
  function drain(): Promise<unknown> {
    running ??= drainLoop().finally(() => {
      running = null;
    });
    return running;
  }

  function scheduleRetry() {
    if (retryTimer || closed) return;
    const delay = backoffDelay();
    retryTimer = later(delay, () => {
      retryTimer = null;
      kick();
    });
  }

  function kick() {
    if (flushTimer) clearTimeout(flushTimer);
    flushTimer = null;
    void drain().then((err) => {
      if (err !== undefined) scheduleRetry();
    });
  }

  return {
    enqueue(item) {
      if (closed) return drop(1);
      if (buffer.length + inFlight >= maxBuffer) {
        // Everything in memory is the batch in flight: the new item is the one to lose.
        if (buffer.length === 0) return drop(1);
        buffer.shift();
        drop(1);
      }
      buffer.push(item);
      // A running drain picks new items up; a pending retry honours its backoff.
      if (running || retryTimer) return;
      if (buffer.length >= maxBatch) kick();
      else flushTimer ??= later(flushMs, kick);
    },

    async flush() {
      clearTimers();
      for (;;) {
        // A drain already under way may fail on an older attempt; judge only our own try.
        const joined = running !== null;
        const err = await drain();
        if (err !== undefined && !joined) {
          scheduleRetry();
          throw err;
        }
        if (buffer.length === 0) return;
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      let deadline: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise(
        (resolve) => (deadline = later(closeTimeoutMs, () => resolve(0))),
      );
      const flushed = (async () => {
        clearTimers();
        // Keep retrying (with backoff) until the deadline: a brief blip should not lose logs.
        while (!stopped && (buffer.length > 0 || running)) {
          const joined = running !== null;
          const err = await drain();
          if (err === undefined || joined) continue;
          await new Promise((resolve) => later(backoffDelay(), () => resolve(undefined)));
        }
      })();
      await Promise.race([flushed, timedOut]);
      stopped = true;
      clearTimeout(deadline);
      clearTimers();
      drop(buffer.splice(0).length);
    },

    stats: () => ({ buffered: buffer.length + inFlight, dropped, sent }),
  };
}
