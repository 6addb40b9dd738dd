import { sseFrame } from "./chat";

// Errors that arrive after an HTTP 200, in each provider family's framing.

/** OpenAI style: a data frame holding only `error`, no `choices`. */
export function openaiStreamErrorFrame(
  message = "The server had an error processing your request.",
): string {
  return sseFrame({ error: { message, type: "server_error", param: null, code: null } });
}

/** Groq and Anthropic style: an `event: error` frame. */
export function eventErrorFrame(message = "Service Unavailable"): string {
  return sseFrame({ error: { message, type: "internal_server_error" } }, { event: "error" });
}

/** OpenRouter style: a chunk with a top-level error and finish_reason "error". */
export function openrouterStreamErrorFrame(
  model: string,
  message = "Provider disconnected",
): string {
  return sseFrame({
    id: "gen-fake",
    object: "chat.completion.chunk",
    created: 1_767_225_600,
    model,
    error: { code: 502, message },
    choices: [{ index: 0, delta: { content: "" }, finish_reason: "error" }],
  });
}

/** SSE comment used as keep-alive, e.g. OpenRouter's ": OPENROUTER PROCESSING". */
export function keepAliveComment(text = "OPENROUTER PROCESSING"): string {
  return `: ${text}\n\n`;
}
