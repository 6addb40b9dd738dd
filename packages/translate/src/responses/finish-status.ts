import type { ChatUsage, FinishReason } from "../chat-types";
import type { ResponseObject, ResponseUsage } from "./response-types";

/**
 * A chat finish reason as a Responses status: a cut for length is an `incomplete` answer
 * with reason `max_output_tokens`, a content filter `incomplete` with `content_filter`;
 * anything else (stop, tool calls, or no reason at all) a completed one.
 */
export function finishStatus(
  reason: FinishReason | null | undefined,
): Pick<ResponseObject, "status" | "incomplete_details"> {
  if (reason === "length") {
    return { status: "incomplete", incomplete_details: { reason: "max_output_tokens" } };
  }
  if (reason === "content_filter") {
    return { status: "incomplete", incomplete_details: { reason: "content_filter" } };
  }
  return { status: "completed", incomplete_details: null };
}

export function usageToResponses(usage: ChatUsage | null | undefined): ResponseUsage | null {
  if (!usage) return null;
  return {
    input_tokens: usage.prompt_tokens,
    input_tokens_details: { cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0 },
    output_tokens: usage.completion_tokens,
    output_tokens_details: {
      reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
    },
    total_tokens: usage.total_tokens,
  };
}
