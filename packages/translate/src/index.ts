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
