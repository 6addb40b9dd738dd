export { buildUpstreamRequest } from "./build-upstream-request";
export {
  type BodyHints,
  looksRateLimited,
  parseBodyHints,
} from "./common/body-hints";
export { parseDuration } from "./common/parse-duration";
export { parseResetValue } from "./common/parse-reset";
export { parseRetryAfter } from "./common/parse-retry-after";
export { MAX_SSE_EVENT_SIZE, SseEventTooLargeError, SseParser } from "./common/sse-parser";
export { classifyStreamEvent } from "./common/stream-events";
export { mergeStreamUsage } from "./common/stream-usage";
export { estimateCompletionTokens, estimatePromptTokens } from "./common/token-estimate";
export { getProviderAdapter, resolveBaseUrl } from "./registry";
export type {
  HeaderMap,
  PreparedRequest,
  PrepareInput,
  ProviderAdapter,
  SseEvent,
  StreamSignal,
  StreamUsage,
  UpstreamEndpoints,
  UpstreamOperation,
  UpstreamRequest,
  UpstreamRequestInput,
  UpstreamResponse,
  UpstreamWire,
} from "./types";
