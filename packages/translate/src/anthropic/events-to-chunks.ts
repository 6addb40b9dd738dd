import type {
  ChatChunkDelta,
  ChatCompletionChunk,
  ChatStreamDecoder,
  FinishReason,
} from "../chat-types";
import { isRecord } from "./blocks";
import { toFinishReason } from "./stop-reasons";
import { stringifyToolInput } from "./tool-arguments";
import type { AnthropicDeltaUsage, AnthropicStopReason } from "./types";
import { toChatUsage } from "./usage";

export interface AnthropicDecoderOptions {
  /** `created` of every chunk (seconds); now by default. */
  created?: number;
  /** The model to report; Anthropic's model name by default. */
  model?: string;
}

const nonEmpty = (value: unknown): value is string => typeof value === "string" && value !== "";

/**
 * Anthropic Messages stream events (from an `anthropic` entry) as chat chunks: text deltas as
 * `content`, thinking deltas as `reasoning_content`, each tool use as a tool call (id and name in
 * its first delta, then its `input_json_delta` as arguments), and `message_delta` as a finish
 * chunk followed by a usage chunk (`choices: []`; the gateway drops it when the client did not
 * ask for usage). Pings, signatures, citations and block stops carry nothing for the chat
 * shape; `error` events are left to the provider adapter, which classifies them.
 */
export function createAnthropicStreamDecoder(
  options: AnthropicDecoderOptions = {},
): ChatStreamDecoder {
  const created = options.created ?? Math.floor(Date.now() / 1000);
  let id = "";
  let model = options.model ?? "";
  let startUsage: Record<string, unknown> = {};
  // Anthropic block index → chat tool-call index (tool blocks only).
  const toolIndex = new Map<number, number>();

  const chunk = (
    delta: ChatChunkDelta,
    finish: FinishReason | null = null,
  ): ChatCompletionChunk => ({
    id,
    object: "chat.completion.chunk",
    created,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });

  const blockStart = (index: number, block: Record<string, unknown>): ChatCompletionChunk[] => {
    if (block.type === "text" && nonEmpty(block.text)) return [chunk({ content: block.text })];
    if (block.type === "thinking" && nonEmpty(block.thinking)) {
      return [chunk({ reasoning_content: block.thinking })];
    }
    if (block.type !== "tool_use") return [];
    const position = toolIndex.size;
    toolIndex.set(index, position);
    const input = isRecord(block.input) && Object.keys(block.input).length > 0 ? block.input : null;
    return [
      chunk({
        tool_calls: [
          {
            index: position,
            id: typeof block.id === "string" ? block.id : "",
            type: "function",
            function: {
              name: typeof block.name === "string" ? block.name : "",
              arguments: input ? stringifyToolInput(input) : "",
            },
          },
        ],
      }),
    ];
  };

  const blockDelta = (index: number, delta: Record<string, unknown>): ChatCompletionChunk[] => {
    if (delta.type === "text_delta" && nonEmpty(delta.text))
      return [chunk({ content: delta.text })];
    if (delta.type === "thinking_delta" && nonEmpty(delta.thinking)) {
      return [chunk({ reasoning_content: delta.thinking })];
    }
    const position = toolIndex.get(index);
    if (
      delta.type === "input_json_delta" &&
      position !== undefined &&
      nonEmpty(delta.partial_json)
    ) {
      return [
        chunk({ tool_calls: [{ index: position, function: { arguments: delta.partial_json } }] }),
      ];
    }
    return [];
  };

  const messageDelta = (data: Record<string, unknown>): ChatCompletionChunk[] => {
    const delta = isRecord(data.delta) ? data.delta : {};
    const finish = toFinishReason(delta.stop_reason as AnthropicStopReason | null);
    const usage = { ...startUsage } as Record<string, unknown>;
    // Cumulative totals; the input counters only when they apply, else the start's stand.
    for (const [key, value] of Object.entries(isRecord(data.usage) ? data.usage : {})) {
      if (value !== null && value !== undefined) usage[key] = value;
    }
    return [
      chunk({}, finish),
      {
        id,
        object: "chat.completion.chunk",
        created,
        model,
        choices: [],
        usage: toChatUsage(usage as unknown as AnthropicDeltaUsage),
      },
    ];
  };

  return {
    push(event, data) {
      if (!isRecord(data)) return [];
      const type = typeof data.type === "string" ? data.type : event;
      switch (type) {
        case "message_start": {
          const message = isRecord(data.message) ? data.message : {};
          if (typeof message.id === "string") id = message.id;
          if (options.model === undefined && typeof message.model === "string")
            model = message.model;
          startUsage = isRecord(message.usage) ? message.usage : {};
          return [chunk({ role: "assistant", content: "" })];
        }
        case "content_block_start":
          return isRecord(data.content_block) && typeof data.index === "number"
            ? blockStart(data.index, data.content_block)
            : [];
        case "content_block_delta":
          return isRecord(data.delta) && typeof data.index === "number"
            ? blockDelta(data.index, data.delta)
            : [];
        case "message_delta":
          return messageDelta(data);
        default:
          return [];
      }
    },
  };
}
