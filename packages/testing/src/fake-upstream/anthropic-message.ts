import type { FakeHeaders, FakeResponse } from "./types";

// Anthropic Messages API answers (docs.anthropic.com/en/api/messages); fixed ids keep
// fixtures deterministic.

export interface AnthropicUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

export type AnthropicBlock =
  | { type: "text"; text: string }
  | { type: "tool_use"; id: string; name: string; input: Record<string, unknown> }
  /** Extended thinking; the signature lets a client send the block back on the next turn. */
  | { type: "thinking"; thinking: string; signature: string };

export const ANTHROPIC_MESSAGE_ID = "msg_fake0001";

/** Words of the answer as output tokens, a fixed prompt size unless given. */
export function anthropicUsageFor(blocks: AnthropicBlock[], inputTokens = 10): AnthropicUsage {
  const text = blocks.map((b) => (b.type === "text" ? b.text : JSON.stringify(b))).join(" ");
  return {
    input_tokens: inputTokens,
    output_tokens: Math.max(1, text.split(/\s+/).filter(Boolean).length),
  };
}

export function toBlocks(content: string | string[] | AnthropicBlock[]): AnthropicBlock[] {
  if (typeof content === "string") return [{ type: "text", text: content }];
  if (content.every((c) => typeof c === "string")) {
    return [{ type: "text", text: (content as string[]).join("") }];
  }
  return content as AnthropicBlock[];
}

export const stopReasonOf = (blocks: AnthropicBlock[]) =>
  blocks.some((b) => b.type === "tool_use") ? "tool_use" : "end_turn";

/** The JSON body of a non-streamed Anthropic message. */
function anthropicMessageBody(
  model: string,
  content: string | AnthropicBlock[],
  usage?: AnthropicUsage,
) {
  const blocks = toBlocks(content);
  return {
    id: ANTHROPIC_MESSAGE_ID,
    type: "message",
    role: "assistant",
    model,
    content: blocks,
    stop_reason: stopReasonOf(blocks),
    stop_sequence: null,
    usage: usage ?? anthropicUsageFor(blocks),
  };
}

export function anthropicMessage(
  model: string,
  content: string | AnthropicBlock[],
  usage?: AnthropicUsage,
  headers?: FakeHeaders,
): FakeResponse {
  return { status: 200, headers, body: anthropicMessageBody(model, content, usage) };
}

/** A message whose only block is a tool call; stop_reason "tool_use". */
export function anthropicToolUse(
  model: string,
  tool: { id: string; name: string; input: Record<string, unknown> },
  usage?: AnthropicUsage,
): FakeResponse {
  return anthropicMessage(model, [{ type: "tool_use", ...tool }], usage);
}
