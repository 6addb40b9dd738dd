export {
  type BatchedProducerOptions,
  createBatchedProducer,
  type RequestLogQueue,
  sendToQueue,
} from "./batched-producer";
export { type Batcher, type BatcherOptions, createBatcher, type SendBatch } from "./batcher";
export { createInProcessSink, type InProcessSinkOptions } from "./in-process-sink";
export type { LogSinkStats, RequestLogSink } from "./log-sink";
export {
  bullPrefix,
  REQUEST_LOG_BATCH_JOB_NAME,
  REQUEST_LOG_JOB_OPTIONS,
  REQUEST_LOGS_QUEUE,
  requestLogBatchJobId,
} from "./names";
