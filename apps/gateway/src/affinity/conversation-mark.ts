import type { IncomingHttpHeaders } from "node:http";

/** A message of a conversation's opening, reduced to what every later turn repeats. */
export interface LeadingMessage {
  role: string;
  content: unknown[];
}

/**
 * What tells one conversation from another, as a request shows it: an id the client gave
 * (the session header, or a body field such as OpenAI's `prompt_cache_key` / `user` or
 * Anthropic's `metadata.user_id`), else the conversation's opening (system prompt up to and
 * including the first user message), which every later turn sends again. Only ever hashed:
 * never stored or logged.
 */
export type ConversationMark =
  | { kind: "session"; id: string }
  | { kind: "leading"; messages: LeadingMessage[] };

/** The header a client sets to name its conversation itself, whatever the API. */
const SESSION_HEADER = "x-429chain-session";

/** The session header's mark, if the client sent a non-empty one. */
export function sessionHeaderMark(headers: IncomingHttpHeaders): ConversationMark | undefined {
  const value = headers[SESSION_HEADER];
  const id = (Array.isArray(value) ? value[0] : value)?.trim();
  return id ? { kind: "session", id } : undefined;
}

/** A body field's id as a mark; undefined when absent or empty. */
export function sessionMark(id: unknown): ConversationMark | undefined {
  return typeof id === "string" && id.trim() !== "" ? { kind: "session", id } : undefined;
}

/** The mark of a conversation's opening: the messages up to and including the first user one. */
export function leadingMark(messages: LeadingMessage[]): ConversationMark {
  const firstUser = messages.findIndex((m) => m.role === "user");
  return { kind: "leading", messages: firstUser < 0 ? messages : messages.slice(0, firstUser + 1) };
}

/**
 * A message's content as parts, so the same text hashes the same whether a client sent it as a
 * string or as a text part (turn one of a Responses conversation is often a bare string, turn
 * two the same message replayed as an item).
 */
export function leadingMessage(role: string, content: unknown): LeadingMessage {
  if (typeof content === "string") return { role, content: [{ text: content }] };
  if (!Array.isArray(content)) return { role, content: [] };
  return {
    role,
    content: content.map((part) => {
      if (part === null || typeof part !== "object") return part;
      const { text } = part as { text?: unknown };
      return typeof text === "string" ? { text } : part;
    }),
  };
}
