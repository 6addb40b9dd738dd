import type { FinishReason } from "../chat-types";
import type { AnthropicStopReason } from "./types";

interface AnthropicStop {
  stop_reason: AnthropicStopReason;
  stop_sequence: string | null;
}

interface StopFacts {
  /** The answer holds tool calls. */
  hasToolCalls: boolean;
  /** The upstream returned a refusal (`message.refusal`). */
  refused?: boolean;
  /**
   * The choice's non-standard `stop_reason`: vLLM (and servers built on it) put the matched stop
   * string there; a number is a stop token id, not a sequence the client asked for.
   */
  matchedStop?: unknown;
}

/**
 * A chat finish reason as Anthropic's stop reason. OpenAI says `stop` both for a natural end and
 * for a matched stop sequence, so `stop_sequence` is reported only when the upstream named the
 * sequence. Tool calls win over `stop` because some OpenAI-compatible servers (Gemini's) finish a
 * tool-calling turn with `stop`, and Claude Code only runs tools on `tool_use`; a truncated turn
 * stays `max_tokens` even with a (partial) tool call, as Anthropic reports it.
 */
export function toAnthropicStop(
  finish: FinishReason | null | undefined,
  facts: StopFacts,
): AnthropicStop {
  if (finish === "length") return { stop_reason: "max_tokens", stop_sequence: null };
  if (finish === "content_filter" || facts.refused) {
    return { stop_reason: "refusal", stop_sequence: null };
  }
  if (facts.hasToolCalls || finish === "tool_calls" || finish === "function_call") {
    return { stop_reason: "tool_use", stop_sequence: null };
  }
  if (typeof facts.matchedStop === "string" && facts.matchedStop !== "") {
    return { stop_reason: "stop_sequence", stop_sequence: facts.matchedStop };
  }
  return { stop_reason: "end_turn", stop_sequence: null };
}

/** An Anthropic stop reason as a chat finish reason (`pause_turn` only follows server tools). */
export function toFinishReason(stop: AnthropicStopReason | null | undefined): FinishReason {
  switch (stop) {
    case "max_tokens":
    case "model_context_window_exceeded":
      return "length";
    case "tool_use":
      return "tool_calls";
    case "refusal":
      return "content_filter";
    default:
      return "stop";
  }
}
