import type { RequestLogJob } from "@429chain/contracts";

export interface LogSinkStats {
  /** Jobs held in memory, including a batch whose send has not settled yet. */
  buffered: number;
  /** Jobs given up on: buffer overflow, enqueued after close, or left when close timed out. */
  dropped: number;
  /** Jobs whose send (addBulk or in-process processor) succeeded. */
  sent: number;
}

/**
 * Where the gateway writes one job per finished request. Two implementations: the BullMQ
 * batched producer and the in-process sink (no REDIS_URL). Logging must never slow down or
 * fail a chat request, so `enqueue` never blocks and never throws.
 */
export interface RequestLogSink {
  enqueue(job: RequestLogJob): void;
  /** Sends everything buffered now; rejects with the send error if a batch fails. */
  flush(): Promise<void>;
  /** Graceful shutdown: flushes what it can within a timeout, then stops all timers. */
  close(): Promise<void>;
  stats(): LogSinkStats;
}
