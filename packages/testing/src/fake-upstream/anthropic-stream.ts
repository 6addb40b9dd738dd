import {
  ANTHROPIC_MESSAGE_ID,
  type AnthropicBlock,
  type AnthropicUsage,
  anthropicUsageFor,
  stopReasonOf,
  toBlocks,
} from "./anthropic-message";
import { sseFrame } from "./chat";
import type { FakeHeaders, FakeResponse } from "./types";

interface AnthropicStreamOptions {
  usage?: AnthropicUsage;
  /** Defaults to "tool_use" when a block is a tool call, else "end_turn". */
  stopReason?: string;
  crlf?: boolean;
}

/** An Anthropic SSE frame: the `event:` line names the event, as every Anthropic frame does. */
export function anthropicFrame(data: { type: string } & Record<string, unknown>, crlf?: boolean) {
  return sseFrame(data, { event: data.type, crlf });
}

/** message_start with the prompt usage; `output_tokens` is the API's placeholder 1. */
export function anthropicStartFrame(model: string, usage: AnthropicUsage, crlf?: boolean): string {
  const message = {
    id: ANTHROPIC_MESSAGE_ID,
    type: "message",
    role: "assistant",
    content: [],
    model,
    stop_reason: null,
    stop_sequence: null,
    usage: { ...usage, output_tokens: 1 },
  };
  return anthropicFrame({ type: "message_start", message }, crlf);
}

/** Start, deltas and stop of one block; a text given as several strings is several deltas. */
function anthropicBlockFrames(
  block: AnthropicBlock,
  index: number,
  crlf?: boolean,
  texts?: string[],
): string[] {
  const delta = (d: Record<string, unknown>) =>
    anthropicFrame({ type: "content_block_delta", index, delta: d }, crlf);
  const frames: string[] = [];
  if (block.type === "text") {
    frames.push(
      anthropicFrame(
        { type: "content_block_start", index, content_block: { type: "text", text: "" } },
        crlf,
      ),
    );
    for (const text of texts ?? [block.text]) frames.push(delta({ type: "text_delta", text }));
  } else if (block.type === "thinking") {
    const start = { type: "thinking", thinking: "", signature: "" };
    frames.push(anthropicFrame({ type: "content_block_start", index, content_block: start }, crlf));
    frames.push(delta({ type: "thinking_delta", thinking: block.thinking }));
    frames.push(delta({ type: "signature_delta", signature: block.signature }));
  } else {
    const start = { type: "tool_use", id: block.id, name: block.name, input: {} };
    frames.push(anthropicFrame({ type: "content_block_start", index, content_block: start }, crlf));
    // The input arrives as partial JSON a client must concatenate before parsing.
    const json = JSON.stringify(block.input);
    const half = Math.ceil(json.length / 2);
    for (const part of [json.slice(0, half), json.slice(half)]) {
      frames.push(delta({ type: "input_json_delta", partial_json: part }));
    }
  }
  frames.push(anthropicFrame({ type: "content_block_stop", index }, crlf));
  return frames;
}

/**
 * A real Anthropic event sequence: message_start (prompt usage), ping, each block's
 * start/deltas/stop, message_delta (stop reason, cumulative output tokens), message_stop.
 * Several strings stream as one text block, one delta each.
 */
function anthropicStreamFrames(
  model: string,
  content: string[] | AnthropicBlock[],
  options: AnthropicStreamOptions = {},
): string[] {
  const { crlf } = options;
  const blocks = toBlocks(content);
  const usage = options.usage ?? anthropicUsageFor(blocks);
  const texts = content.every((c) => typeof c === "string") ? (content as string[]) : undefined;
  const frames = [anthropicStartFrame(model, usage, crlf), anthropicFrame({ type: "ping" }, crlf)];
  blocks.forEach((block, i) => {
    frames.push(...anthropicBlockFrames(block, i, crlf, texts));
  });
  const stop = { stop_reason: options.stopReason ?? stopReasonOf(blocks), stop_sequence: null };
  frames.push(
    anthropicFrame(
      { type: "message_delta", delta: stop, usage: { output_tokens: usage.output_tokens } },
      crlf,
    ),
    anthropicFrame({ type: "message_stop" }, crlf),
  );
  return frames;
}

export function anthropicStreamed(
  model: string,
  content: string[] | AnthropicBlock[],
  options: AnthropicStreamOptions & { frameDelayMs?: number; headers?: FakeHeaders } = {},
): FakeResponse {
  return {
    status: 200,
    headers: options.headers,
    stream: {
      frames: anthropicStreamFrames(model, content, options),
      frameDelayMs: options.frameDelayMs,
    },
  };
}
