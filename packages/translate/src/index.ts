// Anthropic Messages API ↔ chat (see anthropic/README.md).
export {
  type ChatToAnthropicOptions,
  chatToAnthropicRequest,
  DEFAULT_ANTHROPIC_MAX_TOKENS,
} from "./anthropic/chat-to-request";
export {
  type AnthropicEncoderOptions,
  createAnthropicStreamEncoder,
} from "./anthropic/chunks-to-events";
export {
  type CompletionToMessageOptions,
  chatCompletionToAnthropicMessage,
} from "./anthropic/completion-to-message";
export { anthropicErrorBody, anthropicErrorType } from "./anthropic/error-body";
export { estimateAnthropicInputTokens } from "./anthropic/estimate";
export {
  type AnthropicDecoderOptions,
  createAnthropicStreamDecoder,
} from "./anthropic/events-to-chunks";
export type { TranslationResult } from "./anthropic/issues";
export { anthropicMessageId } from "./anthropic/message-id";
export {
  anthropicMessageToChatCompletion,
  type MessageToChatOptions,
} from "./anthropic/message-to-chat";
export { prepareNativeAnthropicRequest } from "./anthropic/native-request";
export { type ParsedAnthropicRequest, parseAnthropicRequest } from "./anthropic/parse-request";
export { type AnthropicToChatOptions, anthropicToChatRequest } from "./anthropic/request-to-chat";
export { anthropicPingFrame, anthropicSseFrame } from "./anthropic/sse-frames";
export { wantsThinking } from "./anthropic/thinking";
export type * from "./anthropic/types";
export type * from "./chat-types";
export {
  describeIssue,
  firstIssue,
  type RequestProblem,
  type UnsupportedTypeMessage,
} from "./describe-issue";

// Responses API (POST /v1/responses, stateless) ↔ chat completions.
export { chatCompletionToResponse } from "./responses/chat-completion-to-response";
export {
  parseResponsesRequest,
  type ResponsesRequestParse,
} from "./responses/parse-responses-request";
export { type ResponsesRequest, ResponsesRequestSchema } from "./responses/request-schema";
export type { ResponseObject } from "./responses/response-types";
export {
  createResponsesStreamEncoder,
  type ResponsesStreamOptions,
} from "./responses/responses-stream-encoder";
export { responsesToChatRequest } from "./responses/responses-to-chat-request";
