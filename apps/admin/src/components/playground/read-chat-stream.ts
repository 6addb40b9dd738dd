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

function handleFrame(frame: string, handlers: ChatStreamHandlers): void {
  let event = "message";
  const data: string[] = [];
  for (const line of frame.split("\n")) {
    if (line.startsWith("event:")) event = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
  }
  const text = data.join("\n");
  if (text === "" || text === "[DONE]") return;
  let json: ChunkJson;
  try {
    json = JSON.parse(text) as ChunkJson;
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
export async function readChatStream(
  body: ReadableStream<Uint8Array>,
  handlers: ChatStreamHandlers,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true }).replaceAll("\r\n", "\n");
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      handleFrame(buffer.slice(0, end), handlers);
      buffer = buffer.slice(end + 2);
      end = buffer.indexOf("\n\n");
    }
  }
  if (buffer.trim() !== "") handleFrame(buffer, handlers);
}
