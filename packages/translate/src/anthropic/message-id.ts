/**
 * An Anthropic-style message id (`msg_` and letters/digits) derived deterministically from an
 * upstream completion id or the gateway's request id, so retries and logs line up.
 */
export function anthropicMessageId(seed: string): string {
  if (/^msg_[A-Za-z0-9]+$/.test(seed)) return seed;
  const id = seed.replace(/[^A-Za-z0-9]/g, "");
  return `msg_${id === "" ? "0" : id}`;
}

/**
 * A tool-call id Anthropic accepts (`^[a-zA-Z0-9_-]+$`). Some OpenAI-compatible upstreams use
 * others (Kimi: `functions.Bash:0`); the mapping is deterministic, so a tool use and the result
 * that answers it keep matching, and a later fallback to an `anthropic` entry is not refused.
 */
export function anthropicToolId(id: unknown, fallback: string): string {
  if (typeof id !== "string" || id === "") return fallback;
  return id.replace(/[^a-zA-Z0-9_-]/g, "_");
}

/** The id for a tool call an upstream sent without one: unique in the message. */
export const fallbackToolId = (messageId: string, index: number): string =>
  `toolu_${messageId.replace(/^msg_/, "")}_${index}`;
