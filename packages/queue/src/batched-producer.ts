import type { RequestLogBatch, RequestLogJob } from "@429chain/contracts";
import type { Queue } from "bullmq";
import { type BatcherOptions, createBatcher, type SendBatch } from "./batcher";
import type { RequestLogSink } from "./log-sink";
import { REQUEST_LOG_BATCH_JOB_NAME, REQUEST_LOG_JOB_OPTIONS, requestLogBatchJobId } from "./names";

export type RequestLogQueue = Queue<RequestLogBatch>;

/** One queue job per batch; its deterministic id makes a re-sent batch a no-op in BullMQ. */
export function sendToQueue(queue: RequestLogQueue): SendBatch<RequestLogJob> {
  return async (logs) => {
    await queue.add(
      REQUEST_LOG_BATCH_JOB_NAME,
      { v: 1, logs },
      { ...REQUEST_LOG_JOB_OPTIONS, jobId: requestLogBatchJobId(logs) },
    );
  };
}

export type BatchedProducerOptions = Omit<BatcherOptions<RequestLogJob>, "send"> &
  (
    | {
        /** The caller owns the queue (and its connection) and closes it after this sink,
         * and must listen for the queue's 'error' event. */
        queue: RequestLogQueue;
      }
    | { send: SendBatch<RequestLogJob> }
  );

/** The gateway's log sink when REDIS_URL is set: buffered, batched writes to BullMQ. */
export function createBatchedProducer(options: BatchedProducerOptions): RequestLogSink {
  const send = "queue" in options ? sendToQueue(options.queue) : options.send;
  return createBatcher<RequestLogJob>({ ...options, send });
}
