import type { ResponsesRequest } from "./request-schema";
import type { ResponseObject } from "./response-types";

interface ResponseIdentity {
  /** `resp_…`, chosen by the caller (the translation is pure). Item ids derive from it. */
  id: string;
  /** Unix seconds. */
  createdAt: number;
  model: string;
}

/**
 * A response with no output yet: what the request asked for, echoed the way OpenAI echoes it
 * (the SDK's `Response` type carries these fields). Unset sampling parameters are `null`
 * rather than OpenAI's defaults: the upstream's defaults apply and we do not know them.
 */
export function responseEnvelope(request: ResponsesRequest, who: ResponseIdentity): ResponseObject {
  return {
    id: who.id,
    object: "response",
    created_at: who.createdAt,
    status: "in_progress",
    background: false,
    error: null,
    incomplete_details: null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    metadata: request.metadata ?? {},
    model: who.model,
    output: [],
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: request.reasoning?.effort ?? null, summary: null },
    store: false,
    temperature: request.temperature ?? null,
    text: { format: request.text?.format ?? { type: "text" } },
    tool_choice: request.tool_choice ?? "auto",
    tools: (request.tools ?? []).map((t) => ({
      type: "function",
      name: t.name,
      description: t.description ?? null,
      parameters: t.parameters ?? null,
      strict: t.strict ?? null,
    })),
    top_p: request.top_p ?? null,
    truncation: "disabled",
    usage: null,
    user: request.user ?? null,
  };
}

/** Item ids share the response id's suffix, so one answer's ids read as belonging together. */
export function itemId(responseId: string, prefix: "msg" | "fc", outputIndex: number): string {
  return `${prefix}_${responseId.replace(/^resp_/, "")}_${outputIndex}`;
}
