import type { ChatMessage } from "@429chain/contracts";
import type { ChatToolCall } from "../chat-types";
import { contentBlocks, isRecord, type LooseBlock, systemText, textOf } from "./blocks";
import { toDataUrl } from "./data-url";
import type { TranslationIssues } from "./issues";
import { stringifyToolInput } from "./tool-arguments";

type ChatPart = { type: "text"; text: string } | { type: "image_url"; image_url: { url: string } };

/**
 * A block only Anthropic can serve. The conversion goes on with the block as JSON text so that
 * the token estimate still counts it (base64 PDFs at chars/4 come close to what a page costs).
 */
function unsupportedBlock(block: LooseBlock, where: string, issues: TranslationIssues): ChatPart {
  const what =
    block.type === "document"
      ? "document block"
      : block.type === "image"
        ? "Files API image"
        : `${block.type} block`;
  issues.unsupported.push(`${what} (${where})`);
  return { type: "text", text: JSON.stringify(block) };
}

function imagePart(block: LooseBlock, where: string, issues: TranslationIssues): ChatPart | null {
  const source = block.source;
  if (!isRecord(source)) return null;
  if (source.type === "base64" && typeof source.data === "string") {
    const mediaType = typeof source.media_type === "string" ? source.media_type : "image/png";
    return { type: "image_url", image_url: { url: toDataUrl(mediaType, source.data) } };
  }
  if (source.type === "url" && typeof source.url === "string") {
    return { type: "image_url", image_url: { url: source.url } };
  }
  return unsupportedBlock(block, where, issues);
}

/** Text-only content as one string: the widest-supported form among OpenAI-compatible servers. */
function userContent(parts: ChatPart[]): string | ChatPart[] {
  if (parts.every((part) => part.type === "text")) {
    return parts.map((part) => (part as { text: string }).text).join("\n\n");
  }
  return parts;
}

/**
 * A tool result as the text of a `tool` message (which takes text only) plus its images, which
 * go to the user message that follows. `is_error` stays visible to the model as an `Error:`
 * prefix, since the chat shape has no error flag.
 */
function toolResult(
  block: LooseBlock,
  where: string,
  issues: TranslationIssues,
): { message: ChatMessage; images: ChatPart[] } {
  const texts: string[] = [];
  const images: ChatPart[] = [];
  contentBlocks(block.content).forEach((inner, k) => {
    const innerWhere = `${where}.content[${k}]`;
    if (inner.type === "text") texts.push(textOf(inner));
    else if (inner.type === "image") {
      const image = imagePart(inner, innerWhere, issues);
      if (image) images.push(image);
    } else texts.push((unsupportedBlock(inner, innerWhere, issues) as { text: string }).text);
  });
  let text = texts.join("\n");
  if (text === "" && images.length > 0) text = "(the tool returned the image(s) shown next)";
  if (block.is_error === true) text = text === "" ? "Error" : `Error: ${text}`;
  const toolCallId = typeof block.tool_use_id === "string" ? block.tool_use_id : "";
  if (images.length > 0) {
    images.unshift({ type: "text", text: `Image(s) returned by tool call ${toolCallId}:` });
  }
  return { message: { role: "tool", tool_call_id: toolCallId, content: text }, images };
}

function userTurn(blocks: LooseBlock[], i: number, issues: TranslationIssues): ChatMessage[] {
  const toolMessages: ChatMessage[] = [];
  const toolImages: ChatPart[] = [];
  const parts: ChatPart[] = [];
  blocks.forEach((block, j) => {
    const where = `messages[${i}].content[${j}]`;
    switch (block.type) {
      case "tool_result": {
        const { message, images } = toolResult(block, where, issues);
        toolMessages.push(message);
        toolImages.push(...images);
        break;
      }
      case "text":
        if (textOf(block) !== "") parts.push({ type: "text", text: textOf(block) });
        break;
      case "image": {
        const image = imagePart(block, where, issues);
        if (image) parts.push(image);
        break;
      }
      // Reasoning is Anthropic's own and never belongs in a user turn: nothing to carry over.
      case "thinking":
      case "redacted_thinking":
        break;
      default:
        parts.push(unsupportedBlock(block, where, issues));
    }
  });
  const rest = [...toolImages, ...parts];
  if (rest.length === 0) return toolMessages;
  return [...toolMessages, { role: "user", content: userContent(rest) }];
}

function assistantTurn(blocks: LooseBlock[], i: number, issues: TranslationIssues): ChatMessage[] {
  let text = "";
  const toolCalls: ChatToolCall[] = [];
  blocks.forEach((block, j) => {
    switch (block.type) {
      case "text":
        text += textOf(block);
        break;
      case "tool_use":
        toolCalls.push({
          id: typeof block.id === "string" ? block.id : `toolu_${i}_${j}`,
          type: "function",
          function: {
            name: typeof block.name === "string" ? block.name : "",
            arguments: stringifyToolInput(block.input),
          },
        });
        break;
      // Signed reasoning is only valid at Anthropic and must not reach another upstream.
      case "thinking":
      case "redacted_thinking":
        break;
      default:
        text += (
          unsupportedBlock(block, `messages[${i}].content[${j}]`, issues) as { text: string }
        ).text;
    }
  });
  if (text === "" && toolCalls.length === 0) return [];
  const message: ChatMessage = { role: "assistant", content: text === "" ? null : text };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return [message];
}

/** Consecutive assistant turns are one turn for Anthropic; the chat shape wants one message. */
function mergeAssistant(into: ChatMessage, next: ChatMessage): void {
  const texts = [into.content, next.content].filter((t): t is string => typeof t === "string");
  into.content = texts.length > 0 ? texts.join("\n\n") : null;
  const calls = [
    ...((into.tool_calls as ChatToolCall[] | undefined) ?? []),
    ...((next.tool_calls as ChatToolCall[] | undefined) ?? []),
  ];
  if (calls.length > 0) into.tool_calls = calls;
}

/**
 * Anthropic `system` + `messages` as chat messages: the system prompt first, tool results as
 * `tool` messages right after the assistant turn that called them (then the rest of that user
 * turn), tool uses as `tool_calls`, signed reasoning dropped, `cache_control` dropped (OpenAI-
 * compatible servers do not know it).
 */
export function anthropicMessagesToChat(
  system: unknown,
  messages: unknown[],
  issues: TranslationIssues,
): ChatMessage[] {
  const out: ChatMessage[] = [];
  const systemPrompt = systemText(system);
  if (systemPrompt !== "") out.push({ role: "system", content: systemPrompt });
  messages.forEach((message, i) => {
    if (!isRecord(message)) return;
    const blocks = contentBlocks(message.content);
    if (message.role === "system") {
      const text = systemText(message.content);
      if (text !== "") out.push({ role: "system", content: text });
    } else if (message.role === "user") {
      if (typeof message.content === "string") out.push({ role: "user", content: message.content });
      else out.push(...userTurn(blocks, i, issues));
    } else if (message.role === "assistant") {
      for (const turn of assistantTurn(blocks, i, issues)) {
        const previous = out.at(-1);
        if (previous?.role === "assistant") mergeAssistant(previous, turn);
        else out.push(turn);
      }
    }
  });
  return out;
}
