import { isPrintableText, MAX_MODEL_LENGTH } from "@429chain/contracts";
import { isRecord } from "./blocks";
import type { AnthropicMessagesRequest } from "./types";

export type ParsedAnthropicRequest =
  | { ok: true; request: AnthropicMessagesRequest }
  | { ok: false; message: string };

const ROLES = new Set(["user", "assistant", "system"]);

const isBlockList = (value: unknown) =>
  Array.isArray(value) && value.every((block) => isRecord(block) && typeof block.type === "string");

function checkMessages(messages: unknown): string | null {
  if (!Array.isArray(messages)) return "messages: Field required (an array of messages)";
  if (messages.length === 0) return "messages: must contain at least one message";
  for (const [i, message] of messages.entries()) {
    if (!isRecord(message)) return `messages.${i}: must be an object`;
    if (typeof message.role !== "string" || !ROLES.has(message.role)) {
      return `messages.${i}.role: must be 'user', 'assistant' or 'system'`;
    }
    if (typeof message.content !== "string" && !isBlockList(message.content)) {
      return `messages.${i}.content: must be a string or a list of content blocks`;
    }
  }
  return null;
}

function check(body: Record<string, unknown>): string | null {
  const { model, max_tokens, system, tools, stream, stop_sequences, metadata } = body;
  if (typeof model !== "string" || model === "") return "model: Field required";
  if (model.length > MAX_MODEL_LENGTH || !isPrintableText(model)) {
    return `model: must be printable and at most ${MAX_MODEL_LENGTH} characters`;
  }
  if (typeof max_tokens !== "number" || !Number.isInteger(max_tokens) || max_tokens < 0) {
    return "max_tokens: Field required (a non-negative integer)";
  }
  const messages = checkMessages(body.messages);
  if (messages) return messages;
  if (system !== undefined && typeof system !== "string" && !isBlockList(system)) {
    return "system: must be a string or a list of text blocks";
  }
  if (
    tools !== undefined &&
    !(
      Array.isArray(tools) && tools.every((tool) => isRecord(tool) && typeof tool.name === "string")
    )
  ) {
    return "tools: must be a list of tools, each with a name";
  }
  if (stream !== undefined && typeof stream !== "boolean") return "stream: must be a boolean";
  if (
    stop_sequences !== undefined &&
    !(Array.isArray(stop_sequences) && stop_sequences.every((stop) => typeof stop === "string"))
  ) {
    return "stop_sequences: must be a list of strings";
  }
  if (metadata !== undefined && !isRecord(metadata)) return "metadata: must be an object";
  return null;
}

/**
 * Checks a `POST /v1/messages` body as far as the gateway reads it (the shape of model,
 * max_tokens, messages, system, tools, stream, stop_sequences, metadata); everything else passes
 * through to Anthropic, which judges it. A failure is a 400 `invalid_request_error`.
 */
export function parseAnthropicRequest(body: unknown): ParsedAnthropicRequest {
  if (!isRecord(body)) return { ok: false, message: "The request body must be a JSON object." };
  const problem = check(body);
  if (problem) return { ok: false, message: problem };
  return { ok: true, request: body as AnthropicMessagesRequest };
}
