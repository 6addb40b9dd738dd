import type { FakeHeaders, FakeResponse } from "./types";

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

// Fixed ids and timestamps keep fixtures deterministic across runs.
const CREATED = 1_767_225_600;
const ID = "chatcmpl-fake0001";

export function usageFor(text: string, promptTokens = 10): Usage {
  const completion = Math.max(1, text.split(/\s+/).filter(Boolean).length);
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completion,
    total_tokens: promptTokens + completion,
  };
}

/** The JSON body of an OpenAI chat completion. */
export function completionBody(model: string, text: string, usage?: Usage) {
  return {
    id: ID,
    object: "chat.completion",
    created: CREATED,
    model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: text },
        logprobs: null,
        finish_reason: "stop",
      },
    ],
    usage: usage ?? usageFor(text),
  };
}

export function completion(
  model: string,
  text: string,
  usage?: Usage,
  headers?: FakeHeaders,
): FakeResponse {
  return { status: 200, headers, body: completionBody(model, text, usage) };
}

interface SseOptions {
  event?: string;
  crlf?: boolean;
}

/** One SSE frame with its terminating blank line; objects are JSON-encoded. */
export function sseFrame(data: unknown, options: SseOptions = {}): string {
  const nl = options.crlf ? "\r\n" : "\n";
  const payload = typeof data === "string" ? data : JSON.stringify(data);
  const event = options.event ? `event: ${options.event}${nl}` : "";
  return `${event}data: ${payload}${nl}${nl}`;
}

function chunk(model: string, delta: object, finishReason: string | null, usage?: Usage | null) {
  return {
    id: ID,
    object: "chat.completion.chunk",
    created: CREATED,
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(usage === undefined ? {} : { usage }),
  };
}

interface StreamFramesOptions {
  /** Adds the final `choices: []` usage chunk sent when `stream_options.include_usage` is set. */
  usage?: Usage;
  crlf?: boolean;
}

/** OpenAI chunk sequence: role chunk, one chunk per text, finish chunk, usage chunk, [DONE]. */
export function streamFrames(
  model: string,
  texts: string[],
  options: StreamFramesOptions = {},
): string[] {
  const opts = { crlf: options.crlf };
  const frames = [sseFrame(chunk(model, { role: "assistant", content: "" }, null), opts)];
  for (const text of texts) frames.push(sseFrame(chunk(model, { content: text }, null), opts));
  frames.push(sseFrame(chunk(model, {}, "stop"), opts));
  if (options.usage) {
    const usageChunk = { ...chunk(model, {}, null, options.usage), choices: [] };
    frames.push(sseFrame(usageChunk, opts));
  }
  frames.push(sseFrame("[DONE]", opts));
  return frames;
}

export function streamed(
  model: string,
  texts: string[],
  options: StreamFramesOptions & { frameDelayMs?: number; headers?: FakeHeaders } = {},
): FakeResponse {
  return {
    status: 200,
    headers: options.headers,
    stream: { frames: streamFrames(model, texts, options), frameDelayMs: options.frameDelayMs },
  };
}

interface RateLimitHeaderValues {
  limitRequests?: number;
  remainingRequests?: number;
  /** Go duration, e.g. "1s", "2m59.56s". */
  resetRequests?: string;
  limitTokens?: number;
  remainingTokens?: number;
  resetTokens?: string;
}

/**
 * OpenAI-family headers for a 200. Only the given values are emitted, because a missing
 * header means "unknown" to the gateway, not "unlimited".
 */
export function rateLimitHeaders(values: RateLimitHeaderValues): Record<string, string> {
  const pairs: [string, number | string | undefined][] = [
    ["x-ratelimit-limit-requests", values.limitRequests],
    ["x-ratelimit-remaining-requests", values.remainingRequests],
    ["x-ratelimit-reset-requests", values.resetRequests],
    ["x-ratelimit-limit-tokens", values.limitTokens],
    ["x-ratelimit-remaining-tokens", values.remainingTokens],
    ["x-ratelimit-reset-tokens", values.resetTokens],
  ];
  const out: Record<string, string> = {};
  for (const [name, value] of pairs) if (value !== undefined) out[name] = String(value);
  return out;
}
