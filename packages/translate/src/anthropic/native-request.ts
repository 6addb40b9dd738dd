import { isRecord } from "./blocks";
import type { AnthropicMessageParam, AnthropicMessagesRequest } from "./types";

const nonEmpty = (value: unknown): value is string => typeof value === "string" && value !== "";

/** Reasoning Anthropic did not sign: it came from another upstream, or was made up. */
function foreignReasoning(block: unknown): boolean {
  if (!isRecord(block)) return false;
  if (block.type === "thinking") return !nonEmpty(block.signature);
  if (block.type === "redacted_thinking") return !nonEmpty(block.data);
  return false;
}

const hasBlock = (message: AnthropicMessageParam | undefined, type: string) =>
  Array.isArray(message?.content) && message.content.some((block) => block?.type === type);

/**
 * With thinking on, Anthropic wants the assistant turn that precedes the last tool results to
 * start with a thinking block ("Expected `thinking` or `redacted_thinking`, but found `text`").
 * A turn served by another upstream has none, and none can be made (it needs a signature).
 */
function toolTurnLacksThinking(messages: AnthropicMessageParam[]): boolean {
  const last = messages.findLastIndex((message) => message.role === "assistant");
  if (last < 0 || !hasBlock(messages[last], "tool_use")) return false;
  if (!messages.slice(last + 1).some((message) => hasBlock(message, "tool_result"))) return false;
  const content = messages[last]?.content;
  const first = Array.isArray(content) ? content[0] : undefined;
  return first?.type !== "thinking" && first?.type !== "redacted_thinking";
}

/**
 * The client's Anthropic body for an `anthropic` entry: the entry's model, everything else as
 * the client sent it (cache_control, thinking, metadata, tools; betas travel as headers) except
 * what would make Anthropic refuse a conversation that went through another upstream:
 * thinking blocks without a signature and redacted thinking without data are dropped, and
 * thinking is turned off for this request when the assistant turn before the last tool results
 * does not start with a thinking block. That rule is documented for `enabled`; it is applied to
 * `adaptive` too, where a turn without thinking means Claude did not think there either, so
 * turning it off costs little and spares a 400 that would end the waterfall. The input is not
 * modified (the waterfall may prepare it for several entries).
 */
export function prepareNativeAnthropicRequest(
  body: AnthropicMessagesRequest,
  model: string,
): { body: AnthropicMessagesRequest; notes: string[] } {
  const notes: string[] = [];
  let dropped = 0;
  let emptied = 0;
  const messages = (Array.isArray(body.messages) ? body.messages : []).flatMap((message) => {
    if (!isRecord(message) || !Array.isArray(message.content)) return [message];
    const content = message.content.filter((block) => !foreignReasoning(block));
    if (content.length === message.content.length) return [message];
    dropped += message.content.length - content.length;
    if (content.length === 0) {
      emptied += 1;
      return [];
    }
    return [{ ...message, content }];
  });
  if (dropped > 0)
    notes.push(`${dropped} thinking block(s) without an Anthropic signature dropped`);
  if (emptied > 0) notes.push(`${emptied} message(s) that held only such blocks removed`);

  const out: AnthropicMessagesRequest = { ...body, model, messages };
  const thinking = out.thinking?.type;
  if ((thinking === "enabled" || thinking === "adaptive") && toolTurnLacksThinking(messages)) {
    delete out.thinking;
    notes.push(
      "thinking disabled for this request: the assistant turn before the last tool results has no Anthropic thinking block",
    );
  }
  return { body: out, notes };
}
