import type { ChatStreamEncoder, ChatToolCallDelta, ChatUsage, FinishReason } from "../chat-types";
import { anthropicToolId, fallbackToolId } from "./message-id";
import { estimateTextTokens } from "./output-estimate";
import { anthropicSseFrame } from "./sse-frames";
import { toAnthropicStop } from "./stop-reasons";
import type { AnthropicDeltaUsage, AnthropicStreamEvent } from "./types";
import { toAnthropicUsage } from "./usage";

export interface AnthropicEncoderOptions {
  /** `msg_…` id to report (see `anthropicMessageId`). */
  messageId: string;
  /** The model to report: the one the client named. */
  model: string;
  /** The gateway's estimate of the prompt, for `message_start` (the real count comes at the end). */
  inputTokens: number;
  /** The client asked for thinking: upstream reasoning streams as a text block (never `thinking`). */
  includeReasoning: boolean;
}

interface ToolState {
  id?: string;
  name?: string;
  /** Arguments that arrived before the tool's name (its block cannot start without one). */
  pending: string;
  block?: number;
}

type OpenBlock =
  | { kind: "reasoning" | "text"; index: number }
  | { kind: "tool"; index: number; tool: number };

const nonEmpty = (value: unknown): value is string => typeof value === "string" && value !== "";

/**
 * Chat chunks from an OpenAI-compatible upstream as Anthropic Messages SSE. Blocks are indexed
 * in order and never overlap: a block is closed before the next opens (Anthropic's SDK applies
 * each delta to the last block). Tool arguments stream as `input_json_delta`. The finish reason
 * and usage (the last chunk, with `include_usage`) are held until `end()` for `message_delta`.
 * Known limit: arguments for a tool call whose block was already closed (an upstream that
 * interleaves several calls) cannot be sent; OpenAI-compatible servers stream calls in order.
 */
export function createAnthropicStreamEncoder(options: AnthropicEncoderOptions): ChatStreamEncoder {
  let started = false;
  let done = false;
  let nextIndex = 0;
  let open: OpenBlock | null = null;
  const tools = new Map<number, ToolState>();
  let usedTools = false;
  let refused = false;
  let finish: FinishReason | null = null;
  let matchedStop: unknown;
  let usage: ChatUsage | null = null;
  let chars = 0;
  let frames: string[] = [];

  const emit = (event: AnthropicStreamEvent) => frames.push(anthropicSseFrame(event));

  const start = () => {
    if (started) return;
    started = true;
    emit({
      type: "message_start",
      message: {
        id: options.messageId,
        type: "message",
        role: "assistant",
        model: options.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: {
          input_tokens: options.inputTokens,
          output_tokens: 1,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 0,
        },
      },
    });
  };

  const close = () => {
    if (open) emit({ type: "content_block_stop", index: open.index });
    open = null;
  };

  const text = (kind: "reasoning" | "text", value: string) => {
    if (open?.kind !== kind) {
      close();
      open = { kind, index: nextIndex++ };
      emit({
        type: "content_block_start",
        index: open.index,
        content_block: { type: "text", text: "" },
      });
    }
    chars += value.length;
    emit({
      type: "content_block_delta",
      index: open.index,
      delta: { type: "text_delta", text: value },
    });
  };

  const json = (index: number, partial: string) => {
    if (partial === "") return;
    chars += partial.length;
    emit({
      type: "content_block_delta",
      index,
      delta: { type: "input_json_delta", partial_json: partial },
    });
  };

  const startTool = (position: number, state: ToolState) => {
    close();
    state.block = nextIndex++;
    open = { kind: "tool", index: state.block, tool: position };
    usedTools = true;
    emit({
      type: "content_block_start",
      index: state.block,
      content_block: {
        type: "tool_use",
        id: anthropicToolId(state.id, fallbackToolId(options.messageId, position)),
        name: state.name ?? "",
        input: {},
      },
    });
    json(state.block, state.pending);
    state.pending = "";
  };

  const toolDelta = (delta: ChatToolCallDelta) => {
    // A server that sends no index streams one call at a time: a new id is a new call.
    let position = typeof delta.index === "number" ? delta.index : Math.max(0, tools.size - 1);
    if (typeof delta.index !== "number" && delta.id && tools.get(position)?.id !== delta.id) {
      position = tools.size;
    }
    let state = tools.get(position);
    if (!state) {
      state = { pending: "" };
      tools.set(position, state);
    }
    if (nonEmpty(delta.id)) state.id ??= delta.id;
    if (nonEmpty(delta.function?.name)) state.name ??= delta.function.name;
    const args = delta.function?.arguments ?? "";
    if (state.block === undefined) {
      state.pending += args;
      if (state.name !== undefined) startTool(position, state);
    } else if (open?.kind === "tool" && open.tool === position) {
      json(state.block, args);
    }
  };

  const finishTools = () => {
    for (const [position, state] of tools) {
      if (state.block === undefined) startTool(position, state);
    }
    close();
  };

  const take = () => {
    const out = frames;
    frames = [];
    return out;
  };

  return {
    push(chunk) {
      if (done) return [];
      start();
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices?.[0];
      if (choice) {
        const delta = choice.delta ?? {};
        const reasoning = delta.reasoning_content ?? delta.reasoning;
        if (options.includeReasoning && nonEmpty(reasoning)) text("reasoning", reasoning);
        if (nonEmpty(delta.content)) text("text", delta.content);
        if (nonEmpty(delta.refusal)) {
          refused = true;
          text("text", delta.refusal);
        }
        for (const call of delta.tool_calls ?? []) toolDelta(call);
        if (choice.finish_reason) {
          finish = choice.finish_reason;
          matchedStop = (choice as { stop_reason?: unknown }).stop_reason;
        }
      }
      return take();
    },

    end() {
      if (done) return [];
      done = true;
      start();
      finishTools();
      const stop = toAnthropicStop(finish, { hasToolCalls: usedTools, refused, matchedStop });
      let deltaUsage: AnthropicDeltaUsage = { output_tokens: estimateTextTokens(chars) };
      if (usage) deltaUsage = toAnthropicUsage(usage);
      emit({ type: "message_delta", delta: stop, usage: deltaUsage });
      emit({ type: "message_stop" });
      return take();
    },

    fail(message) {
      if (done) return [];
      done = true;
      frames = [];
      emit({ type: "error", error: { type: "api_error", message } });
      return take();
    },
  };
}
