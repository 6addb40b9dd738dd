import { ERROR_STATUS, type ErrorCode, errorTypeFor } from "@429chain/contracts";
import type {
  ChatCompletionChunk,
  ChatStreamEncoder,
  ChatUsage,
  FinishReason,
} from "../chat-types";
import { finishStatus, usageToResponses } from "./finish-status";
import { OutputItemEvents } from "./output-item-events";
import type { ResponsesRequest } from "./request-schema";
import { responseEnvelope } from "./response-envelope";
import type { ResponseObject } from "./response-types";
import { SseEventWriter } from "./sse-event-writer";

export interface ResponsesStreamOptions {
  /** `resp_…`, chosen by the caller; item ids derive from it. */
  id: string;
  /** Unix seconds. */
  createdAt: number;
  /** The model to report; else the first chunk's, else the request's. */
  model?: string;
}

/**
 * Chat chunks → the Responses event sequence the `openai` SDK's `responses.stream()`
 * accumulates: `response.created`, `response.in_progress`, the items' events, then
 * `response.completed` (or `response.incomplete` after a cut) with the whole response and
 * usage. Those first two frames go out with the first chunk, so nothing is written before the
 * waterfall has an upstream that answers. Reasoning deltas are dropped: a `reasoning` item
 * would have to be replayed by the client, and chat upstreams take no such input.
 */
export function createResponsesStreamEncoder(
  request: ResponsesRequest,
  options: ResponsesStreamOptions,
): ChatStreamEncoder {
  const events = new SseEventWriter();
  const items = new OutputItemEvents(options.id, events);
  let envelope: ResponseObject | undefined;
  let finishReason: FinishReason | null = null;
  let usage: ChatUsage | null = null;
  let finished = false;

  function start(frames: string[], chunkModel: string | undefined): ResponseObject {
    if (envelope) return envelope;
    envelope = responseEnvelope(request, {
      id: options.id,
      createdAt: options.createdAt,
      model: options.model ?? chunkModel ?? request.model ?? "",
    });
    frames.push(events.frame("response.created", { response: envelope }));
    frames.push(events.frame("response.in_progress", { response: envelope }));
    return envelope;
  }

  return {
    push(chunk: ChatCompletionChunk): string[] {
      const frames: string[] = [];
      if (finished) return frames;
      start(frames, chunk.model);
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (!choice) return frames;
      const { delta } = choice;
      if (delta.content) items.appendText(frames, "output_text", delta.content);
      if (delta.refusal) items.appendText(frames, "refusal", delta.refusal);
      for (const call of delta.tool_calls ?? []) items.toolCallDelta(frames, call);
      if (choice.finish_reason) finishReason = choice.finish_reason;
      return frames;
    },

    end(): string[] {
      const frames: string[] = [];
      if (finished) return frames;
      finished = true;
      const base = start(frames, undefined);
      const { status, incomplete_details } = finishStatus(finishReason);
      items.finish(frames, status === "incomplete" ? "incomplete" : "completed");
      const response: ResponseObject = {
        ...base,
        status,
        incomplete_details,
        output: items.output,
        usage: usageToResponses(usage),
      };
      const type = status === "incomplete" ? "response.incomplete" : "response.completed";
      frames.push(events.frame(type, { response }));
      return frames;
    },

    fail(message: string): string[] {
      const frames: string[] = [];
      if (finished) return frames;
      finished = true;
      const base = start(frames, undefined);
      items.abandon();
      const response: ResponseObject = {
        ...base,
        status: "failed",
        error: { code: "server_error", message },
        output: items.output,
        usage: usageToResponses(usage),
      };
      frames.push(events.frame("response.failed", { response }));
      // `response.failed` alone ends the SDK's stream quietly with a failed response; it raises
      // only on a frame whose data holds an `error` object (openai-node `core/streaming`). The
      // fields beside it are the `error` event of OpenAI's own type.
      const code = "upstream_stream_error" satisfies ErrorCode;
      const error = { type: errorTypeFor(ERROR_STATUS[code]), code, message, param: null };
      frames.push(events.frame("error", { code: error.code, message, param: null, error }));
      return frames;
    },
  };
}
