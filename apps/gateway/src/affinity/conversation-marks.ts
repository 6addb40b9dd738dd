import type { ChatCompletionRequest } from "@429chain/contracts";
import type { AnthropicMessagesRequest, ResponsesRequest } from "@429chain/translate";
import {
  type ConversationMark,
  type LeadingMessage,
  leadingMark,
  leadingMessage,
  sessionMark,
} from "./conversation-mark";

/**
 * Chat completions: `prompt_cache_key` (OpenAI's own name for "requests that share a cache"),
 * else `user`, else the opening messages.
 */
export function chatConversationMark(chat: ChatCompletionRequest): ConversationMark {
  return (
    sessionMark(chat.prompt_cache_key) ??
    sessionMark(chat.user) ??
    leadingMark(chat.messages.map((m) => leadingMessage(m.role, m.content)))
  );
}

/** Anthropic Messages: `metadata.user_id` (Claude Code puts its session id there), else the
 * system prompt and the opening messages. */
export function messagesConversationMark(req: AnthropicMessagesRequest): ConversationMark {
  const messages: LeadingMessage[] = [];
  if (req.system !== undefined) messages.push(leadingMessage("system", req.system));
  for (const m of req.messages) messages.push(leadingMessage(m.role, m.content));
  return sessionMark(req.metadata?.user_id) ?? leadingMark(messages);
}

/** Responses: `user`, else the instructions and the opening input items (a string input is the
 * user's first message). `previous_response_id` is refused by this stateless gateway. */
export function responsesConversationMark(req: ResponsesRequest): ConversationMark {
  const messages: LeadingMessage[] = [];
  if (req.instructions) messages.push(leadingMessage("system", req.instructions));
  if (typeof req.input === "string") messages.push(leadingMessage("user", req.input));
  else {
    for (const item of req.input) {
      if ("role" in item) messages.push(leadingMessage(item.role, item.content));
      else messages.push({ role: item.type, content: [] });
    }
  }
  return sessionMark(req.user) ?? leadingMark(messages);
}
