/**
 * The OpenAI chat-completions wire shapes every translation goes through: the canonical
 * request is the chat request (`ChatCompletionRequest` in @429chain/contracts), the canonical
 * answer a chat completion, the canonical stream a sequence of chat chunks.
 */

export type FinishReason = "stop" | "length" | "tool_calls" | "content_filter" | "function_call";

export interface ChatUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number };
  completion_tokens_details?: { reasoning_tokens?: number };
}

export interface ChatToolCall {
  id: string;
  type: "function";
  function: { name: string; arguments: string };
}

interface ChatCompletionMessage {
  role: "assistant";
  content: string | null;
  /** Reasoning text some upstreams return (DeepSeek, Groq, vLLM); `reasoning` on OpenRouter. */
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: ChatToolCall[];
  refusal?: string | null;
}

export interface ChatCompletion {
  id: string;
  object: "chat.completion";
  created: number;
  model: string;
  choices: {
    index: number;
    message: ChatCompletionMessage;
    finish_reason: FinishReason | null;
  }[];
  usage?: ChatUsage;
}

export interface ChatToolCallDelta {
  index: number;
  id?: string;
  type?: "function";
  function?: { name?: string; arguments?: string };
}

export interface ChatChunkDelta {
  role?: "assistant";
  content?: string | null;
  reasoning_content?: string | null;
  reasoning?: string | null;
  tool_calls?: ChatToolCallDelta[];
  refusal?: string | null;
}

export interface ChatCompletionChunk {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  choices: { index: number; delta: ChatChunkDelta; finish_reason: FinishReason | null }[];
  usage?: ChatUsage | null;
}

/**
 * Turns the canonical stream (chat chunks) into another API's server-sent events. Each method
 * returns complete SSE frames (`event: …\ndata: …\n\n`) to write in order.
 */
export interface ChatStreamEncoder {
  /** One upstream chunk (content, tool-call or reasoning deltas, finish reason, usage). */
  push(chunk: ChatCompletionChunk): string[];
  /** The upstream finished normally: the closing frames. */
  end(): string[];
  /** The upstream failed after the stream started: the error frame the client's SDK raises. */
  fail(message: string): string[];
}

/** Turns another API's stream events (already parsed from SSE) into the canonical chunks. */
export interface ChatStreamDecoder {
  /** One event (`event:` name and parsed `data:` JSON); the chat chunks it amounts to. */
  push(event: string | undefined, data: unknown): ChatCompletionChunk[];
}
