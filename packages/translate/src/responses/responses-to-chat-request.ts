import type { ChatCompletionRequest, ChatMessage } from "@429chain/contracts";
import { inputToChatMessages } from "./input-to-chat-messages";
import type { ResponsesRequest } from "./request-schema";
import { textFormatToChat, toolChoiceToChat, toolsToChat } from "./tools-to-chat";

/**
 * The chat request that serves a (validated) Responses request. Choices:
 * - `max_output_tokens` → `max_tokens`: every OpenAI-compatible upstream knows it, while
 *   `max_completion_tokens` is unknown to several (an upstream needing the newer name is a
 *   provider quirk, for packages/providers);
 * - `instructions` → a system message before the input;
 * - `metadata` and `store` are never sent: chat accepts `metadata` only with `store`, and
 *   storing would keep the conversation at the upstream. `metadata` is echoed in the response;
 * - `tool_choice` and `parallel_tool_calls` are sent only with tools (OpenAI refuses them
 *   without; `checkToolChoice` already refused a forced call with no tool to call);
 * - a stream asks for usage, which the final `response.completed` event reports.
 */
export function responsesToChatRequest(request: ResponsesRequest): ChatCompletionRequest {
  const messages: ChatMessage[] = [];
  if (request.instructions) messages.push({ role: "system", content: request.instructions });
  messages.push(...inputToChatMessages(request.input));

  const chat: ChatCompletionRequest = { messages };
  if (request.model !== undefined) chat.model = request.model;
  const tools = request.tools ?? [];
  if (tools.length > 0) {
    chat.tools = toolsToChat(tools);
    if (request.tool_choice != null) chat.tool_choice = toolChoiceToChat(request.tool_choice);
    if (request.parallel_tool_calls != null) chat.parallel_tool_calls = request.parallel_tool_calls;
  }
  if (request.max_output_tokens != null) chat.max_tokens = request.max_output_tokens;
  if (request.temperature != null) chat.temperature = request.temperature;
  if (request.top_p != null) chat.top_p = request.top_p;
  if (request.user != null) chat.user = request.user;
  if (request.reasoning?.effort != null) chat.reasoning_effort = request.reasoning.effort;
  const format = request.text?.format && textFormatToChat(request.text.format);
  if (format) chat.response_format = format;
  if (request.stream) {
    chat.stream = true;
    chat.stream_options = { include_usage: true };
  }
  return chat;
}
