import type { ChatCompletion } from "../chat-types";
import { finishStatus, usageToResponses } from "./finish-status";
import type { ResponsesRequest } from "./request-schema";
import { itemId, responseEnvelope } from "./response-envelope";
import type { ResponseMessageItem, ResponseObject, ResponseOutputItem } from "./response-types";

/**
 * A chat completion as the Responses `response` object: the answer's text (and refusal) as
 * one `message` item, then one `function_call` item per tool call, whose `call_id` is the
 * chat tool call id (the client sends it back in `function_call_output`). Reasoning text some
 * upstreams return is not turned into a `reasoning` item: the stream drops it too (see the
 * stream encoder), and a client replaying output as input would have to send it back.
 * When the answer was cut (`incomplete`), its last item is the one marked incomplete.
 */
export function chatCompletionToResponse(
  completion: ChatCompletion,
  request: ResponsesRequest,
  options: { id: string; createdAt?: number },
): ResponseObject {
  const choice = completion.choices[0];
  const message = choice?.message;
  const output: ResponseOutputItem[] = [];
  const { status, incomplete_details } = finishStatus(choice?.finish_reason);

  const content: ResponseMessageItem["content"] = [];
  if (message?.content) {
    content.push({ type: "output_text", text: message.content, annotations: [], logprobs: [] });
  }
  if (message?.refusal) content.push({ type: "refusal", refusal: message.refusal });
  if (content.length > 0) {
    output.push({
      id: itemId(options.id, "msg", 0),
      type: "message",
      status: "completed",
      role: "assistant",
      content,
    });
  }
  for (const call of message?.tool_calls ?? []) {
    output.push({
      id: itemId(options.id, "fc", output.length),
      type: "function_call",
      status: "completed",
      call_id: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
    });
  }
  const last = output.at(-1);
  if (last && status === "incomplete") last.status = "incomplete";

  return {
    ...responseEnvelope(request, {
      id: options.id,
      createdAt: options.createdAt ?? completion.created,
      model: completion.model,
    }),
    status,
    incomplete_details,
    output,
    usage: usageToResponses(completion.usage),
  };
}
