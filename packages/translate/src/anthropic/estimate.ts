import type { ChatCompletionRequest } from "@429chain/contracts";
import { convertAnthropicRequest } from "./request-to-chat";
import type { AnthropicMessagesRequest } from "./types";

/**
 * Pre-flight prompt estimate of an Anthropic request: translated to chat and measured with the
 * gateway's own chat estimator (pass `estimatePromptTokens` from @429chain/providers; this
 * package may import only contracts). It works for requests only Anthropic can serve too: their
 * Anthropic-only blocks are counted as their JSON text.
 */
export function estimateAnthropicInputTokens(
  request: AnthropicMessagesRequest,
  estimateChatPrompt: (request: ChatCompletionRequest) => number,
): number {
  return estimateChatPrompt(convertAnthropicRequest(request).chat);
}
