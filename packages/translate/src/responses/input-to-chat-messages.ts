import type { ChatMessage } from "@429chain/contracts";
import type { ChatToolCall } from "../chat-types";
import type { InputItem, MessageContentPart, MessageItem } from "./input-item-schema";

type ChatContentPart =
  | { type: "text"; text: string }
  | { type: "image_url"; image_url: { url: string; detail?: "low" | "high" | "auto" } };

/**
 * Replays Responses input items as chat messages. Choices made for the widest upstream support:
 * - `developer` becomes `system` (OpenAI treats them alike; many upstreams know only `system`);
 * - text-only content becomes a string, its parts joined by a newline (every upstream takes a
 *   string; not all take part arrays for system or assistant); parts stay parts only when a
 *   user message carries an image;
 * - a refusal replayed from an earlier answer is assistant text (chat has no refusal part);
 * - `function_call` items become `tool_calls` of one assistant message: consecutive calls
 *   merge, and they join the assistant message just before them (chat's shape of one turn);
 * - `function_call_output` becomes a `tool` message with the text of its output.
 */
export function inputToChatMessages(input: string | readonly InputItem[]): ChatMessage[] {
  if (typeof input === "string") return [{ role: "user", content: input }];
  const messages: ChatMessage[] = [];
  for (const item of input) {
    if (item.type === "function_call") {
      const call: ChatToolCall = {
        id: item.call_id,
        type: "function",
        function: { name: item.name, arguments: item.arguments },
      };
      const last = messages.at(-1);
      if (last?.role === "assistant") {
        last.tool_calls = [...((last.tool_calls as ChatToolCall[] | undefined) ?? []), call];
      } else {
        messages.push({ role: "assistant", content: null, tool_calls: [call] });
      }
    } else if (item.type === "function_call_output") {
      const content =
        typeof item.output === "string" ? item.output : item.output.map((p) => p.text).join("\n");
      messages.push({ role: "tool", tool_call_id: item.call_id, content });
    } else {
      messages.push(messageItemToChat(item));
    }
  }
  return messages;
}

function messageItemToChat(item: MessageItem): ChatMessage {
  const role = item.role === "developer" ? "system" : item.role;
  if (typeof item.content === "string") return { role, content: item.content };
  const parts = item.content.map(toChatPart);
  if (parts.every((p) => p.type === "text")) {
    return { role, content: parts.map((p) => p.text).join("\n") };
  }
  return { role, content: parts };
}

function toChatPart(part: MessageContentPart): ChatContentPart {
  switch (part.type) {
    case "input_text":
    case "output_text":
      return { type: "text", text: part.text };
    case "refusal":
      return { type: "text", text: part.refusal };
    case "input_image":
      return {
        type: "image_url",
        image_url: part.detail
          ? { url: part.image_url, detail: part.detail }
          : { url: part.image_url },
      };
  }
}
