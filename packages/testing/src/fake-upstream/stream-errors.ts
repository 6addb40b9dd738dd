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
