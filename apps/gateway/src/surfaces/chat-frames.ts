import { ERROR_STATUS, type ErrorCode, errorTypeFor } from "@429chain/contracts";
import type { ChatCompletionChunk, ChatStreamEncoder } from "@429chain/translate";
import { normalizeChoices } from "../waterfall/normalize";

interface ChatFramesOptions {
  /** The client asked for the usage chunk (the gateway always asks upstreams for it). */
  clientWantsUsage: boolean;
  /** v1 `normalizeResponses`: reasoning moves into empty content. */
  normalize: boolean;
}

/** `data:` frames of OpenAI chat chunks, ending with `[DONE]`; failures as `event: error`. */
export function createChatFrames(opts: ChatFramesOptions): ChatStreamEncoder & {
  /** An upstream chat chunk relayed as sent (its raw data), unless it must be dropped or rewritten. */
  relay(json: Record<string, unknown>, data: string): string[];
} {
  const relay = (json: Record<string, unknown>, data: string): string[] => {
    const choices = json.choices;
    const usageOnly = Array.isArray(choices) && choices.length === 0 && json.usage != null;
    if (usageOnly && !opts.clientWantsUsage) return [];
    const text = opts.normalize && normalizeChoices(json) ? JSON.stringify(json) : data;
    return [`data: ${text}\n\n`];
  };
  return {
    relay,
    push: (chunk: ChatCompletionChunk) =>
      relay(chunk as unknown as Record<string, unknown>, JSON.stringify(chunk)),
    end: () => ["data: [DONE]\n\n"],
    fail: (message) => [chatStreamErrorFrame(message)],
  };
}

/** OpenAI's SDKs raise an `event: error` frame whose data holds an `error` object. */
function chatStreamErrorFrame(message: string): string {
  const error = {
    error: {
      message: `The upstream stream failed after it started: ${message}`,
      type: errorTypeFor(ERROR_STATUS.upstream_stream_error),
      param: null,
      code: "upstream_stream_error" satisfies ErrorCode,
    },
  };
  return `event: error\ndata: ${JSON.stringify(error)}\n\n`;
}
