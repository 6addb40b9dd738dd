import { readSseFrames, type SseFrame } from "./read-sse-frames";

export interface ChatStreamHandlers {
  onText(text: string): void;
  onUsage(usage: { promptTokens: number; completionTokens: number }): void;
  /** An `event: error` frame: the upstream failed after the answer started. */
  onError(message: string): void;
}

interface ChunkJson {
  choices?: { delta?: { content?: string | null } }[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: { message?: string };
}

function handleFrame({ event, data }: SseFrame, handlers: ChatStreamHandlers): void {
  if (data === "" || data === "[DONE]") return;
  let json: ChunkJson;
  try {
    json = JSON.parse(data) as ChunkJson;
  } catch {
    return;
  }
  if (event === "error" || json.error) {
    handlers.onError(json.error?.message ?? "the stream failed");
    return;
  }
  const content = json.choices?.[0]?.delta?.content;
  if (content) handlers.onText(content);
  if (json.usage) {
    handlers.onUsage({
      promptTokens: json.usage.prompt_tokens ?? 0,
      completionTokens: json.usage.completion_tokens ?? 0,
    });
  }
}

/** Reads an OpenAI-style SSE body (chat.completion.chunk frames) as it arrives. */
export function readChatStream(
  body: ReadableStream<Uint8Array>,
  handlers: ChatStreamHandlers,
): Promise<void> {
  return readSseFrames(body, (frame) => handleFrame(frame, handlers));
}
