import type { ChatCompletion } from "../chat-types";
import { anthropicMessageId, anthropicToolId, fallbackToolId } from "./message-id";
import { estimateTextTokens } from "./output-estimate";
import { toAnthropicStop } from "./stop-reasons";
import { parseToolArguments } from "./tool-arguments";
import type { AnthropicMessage, AnthropicResponseBlock } from "./types";
import { toAnthropicUsage } from "./usage";

export interface CompletionToMessageOptions {
  /** The model to report: the one the client named. */
  model: string;
  /**
   * The client asked for thinking: upstream reasoning (`reasoning_content` / `reasoning`) comes
   * back as a text block before the answer. Never a `thinking` block: it would need a signature
   * only Anthropic can make. Otherwise reasoning is dropped.
   */
  includeReasoning: boolean;
  /** Message id to report; derived from the completion id when absent. */
  id?: string;
  /** Input tokens to report when the upstream sent no usage (the gateway's estimate). */
  estimatedInputTokens?: number;
}

const nonEmpty = (value: unknown): value is string => typeof value === "string" && value !== "";

/** A chat completion (from an OpenAI-compatible entry) as an Anthropic Messages response. */
export function chatCompletionToAnthropicMessage(
  completion: ChatCompletion,
  options: CompletionToMessageOptions,
): AnthropicMessage {
  const id = options.id ?? anthropicMessageId(completion.id ?? "");
  const choice = completion.choices[0];
  const message = choice?.message;
  const content: AnthropicResponseBlock[] = [];
  let chars = 0;
  const text = (value: string) => {
    chars += value.length;
    content.push({ type: "text", text: value });
  };

  const reasoning = message?.reasoning_content ?? message?.reasoning;
  if (options.includeReasoning && nonEmpty(reasoning)) text(reasoning);
  if (nonEmpty(message?.content)) text(message.content);
  const refused = nonEmpty(message?.refusal);
  if (refused) text(message?.refusal as string);
  const toolCalls = message?.tool_calls ?? [];
  toolCalls.forEach((call, index) => {
    chars += call.function?.arguments?.length ?? 0;
    content.push({
      type: "tool_use",
      id: anthropicToolId(call.id, fallbackToolId(id, index)),
      name: call.function?.name ?? "",
      input: parseToolArguments(call.function?.arguments),
    });
  });

  const stop = toAnthropicStop(choice?.finish_reason, {
    hasToolCalls: toolCalls.length > 0,
    refused,
    matchedStop: (choice as { stop_reason?: unknown } | undefined)?.stop_reason,
  });
  const usage = completion.usage
    ? toAnthropicUsage(completion.usage)
    : {
        input_tokens: options.estimatedInputTokens ?? 0,
        output_tokens: estimateTextTokens(chars),
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      };
  return {
    id,
    type: "message",
    role: "assistant",
    model: options.model,
    content,
    stop_reason: stop.stop_reason,
    stop_sequence: stop.stop_sequence,
    usage,
  };
}
