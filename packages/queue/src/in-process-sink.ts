import type { RequestLogJob } from "@429chain/contracts";
import { type BatcherOptions, createBatcher } from "./batcher";
import type { RequestLogSink } from "./log-sink";

export type InProcessSinkOptions = Omit<BatcherOptions<RequestLogJob>, "send"> & {
  /** The worker's own batch processor, so embedded mode runs the same code as apps/worker.
   * It must be idempotent per request id: a timed-out batch is retried. It must reject only
   * when trying again later can help (database unavailable): a rejected batch is put back at
   * the front and retried before any later log, so a log the database refuses has to be
   * parked by the processor (processRequestLogBatch does) instead of rejecting the batch. */
  process: (jobs: RequestLogJob[]) => Promise<void>;
};

/** The gateway's log sink without REDIS_URL: same batching, no queue in between. */
export function createInProcessSink(options: InProcessSinkOptions): RequestLogSink {
  const { process, ...batching } = options;
  return createBatcher<RequestLogJob>({ ...batching, send: process });
}
