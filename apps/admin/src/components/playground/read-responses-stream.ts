import type { ChatStreamHandlers } from "./read-chat-stream";
import { readSseFrames } from "./read-sse-frames";

interface EventJson {
  type?: string;
  delta?: string;
  message?: string;
  error?: { message?: string } | null;
  response?: {
    usage?: { input_tokens?: number; output_tokens?: number } | null;
    error?: { message?: string } | null;
  };
}

/**
 * Reads a Responses API event stream as it arrives: text deltas, the usage of the final
 * `response.completed` (or `.incomplete`), and a failure (`response.failed`, `error`) once.
 */
export async function readResponsesStream(
  body: ReadableStream<Uint8Array>,
  handlers: ChatStreamHandlers,
): Promise<void> {
  let failed = false;
  const fail = (message: string) => {
    if (failed) return;
    failed = true;
    handlers.onError(message);
  };
  await readSseFrames(body, ({ event, data }) => {
    let json: EventJson;
    try {
      json = JSON.parse(data) as EventJson;
    } catch {
      return;
    }
    const type = json.type ?? event;
    if (type === "response.output_text.delta" || type === "response.refusal.delta") {
      if (json.delta) handlers.onText(json.delta);
    } else if (type === "response.completed" || type === "response.incomplete") {
      const usage = json.response?.usage;
      if (usage) {
        handlers.onUsage({
          promptTokens: usage.input_tokens ?? 0,
          completionTokens: usage.output_tokens ?? 0,
        });
      }
    } else if (type === "response.failed") {
      fail(json.response?.error?.message ?? "the response failed");
    } else if (type === "error") {
      fail(json.message ?? json.error?.message ?? "the stream failed");
    }
  });
}
