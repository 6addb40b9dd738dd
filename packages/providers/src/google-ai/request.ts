import type { ChatMessage } from "@429chain/contracts";
import type { PreparedRequest, PrepareInput } from "../types";

// Non-Gemini models behind the Gemini endpoint (Gemma) reject structured output, tools and
// system instructions (v1 applies the same quirk).
const UNSUPPORTED = ["response_format", "tools", "tool_choice"];

function isGeminiModel(model: string): boolean {
  return model.replace(/^models\//, "").startsWith("gemini-");
}

function textOf(content: ChatMessage["content"]): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (typeof part.text === "string" ? part.text : ""))
    .filter(Boolean)
    .join("\n");
}

/** Moves every system message's text to the front of the first user message. */
function foldSystemMessages(messages: ChatMessage[]): ChatMessage[] {
  const system = messages.filter((m) => m.role === "system");
  if (system.length === 0) return messages;
  const rest = messages.filter((m) => m.role !== "system");
  const prefix = system
    .map((m) => textOf(m.content))
    .filter(Boolean)
    .join("\n\n");
  const index = rest.findIndex((m) => m.role === "user");
  if (index === -1) return [{ role: "user", content: prefix }, ...rest];
  const user = rest[index]!;
  const content = Array.isArray(user.content)
    ? [{ type: "text", text: prefix }, ...user.content]
    : [prefix, user.content].filter(Boolean).join("\n\n");
  return rest.with(index, { ...user, content });
}

export function prepareGoogleAiRequest(input: PrepareInput): PreparedRequest {
  const body = { ...input.body };
  if (input.op === "chat" && !isGeminiModel(input.model)) {
    for (const key of UNSUPPORTED) delete body[key];
    if (Array.isArray(body.messages)) body.messages = foldSystemMessages(body.messages);
  }
  return { body, headers: {} };
}
