import type { ChatCompletion, ChatToolCall } from "../chat-types";
import { toFinishReason } from "./stop-reasons";
import { stringifyToolInput } from "./tool-arguments";
import type { AnthropicMessage } from "./types";
import { toChatUsage } from "./usage";

export interface MessageToChatOptions {
  /** `created` of the completion (seconds); now by default. */
  created?: number;
  /** The model to report; Anthropic's model name by default. */
  model?: string;
}

/**
 * An Anthropic Messages response (from an `anthropic` entry) as a chat completion: text blocks
 * joined into `content`, thinking into `reasoning_content` (redacted thinking has no readable
 * text), tool uses as `tool_calls`, usage with the cache counted in the prompt.
 */
export function anthropicMessageToChatCompletion(
  message: AnthropicMessage,
  options: MessageToChatOptions = {},
): ChatCompletion {
  let text = "";
  let reasoning = "";
  const toolCalls: ChatToolCall[] = [];
  for (const block of Array.isArray(message.content) ? message.content : []) {
    if (block.type === "text") text += block.text;
    else if (block.type === "thinking") reasoning += block.thinking;
    else if (block.type === "tool_use") {
      toolCalls.push({
        id: block.id,
        type: "function",
        function: { name: block.name, arguments: stringifyToolInput(block.input) },
      });
    }
  }
  const finish = toFinishReason(message.stop_reason);
  const completion: ChatCompletion = {
    id: message.id,
    object: "chat.completion",
    created: options.created ?? Math.floor(Date.now() / 1000),
    model: options.model ?? message.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: text === "" && toolCalls.length > 0 ? null : text,
          ...(reasoning !== "" ? { reasoning_content: reasoning } : {}),
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: finish,
      },
    ],
  };
  if (message.usage) completion.usage = toChatUsage(message.usage);
  return completion;
}
