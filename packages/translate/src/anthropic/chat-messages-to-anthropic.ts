import { contentBlocks, isRecord, type LooseBlock, textOf } from "./blocks";
import { parseDataUrl } from "./data-url";
import type { TranslationIssues } from "./issues";
import { anthropicToolId } from "./message-id";
import { parseToolArguments } from "./tool-arguments";
import type { AnthropicContentBlock, AnthropicMessageParam } from "./types";

// The image types Anthropic accepts.
const IMAGE_TYPES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp"]);

function imageBlock(part: LooseBlock, where: string, issues: TranslationIssues) {
  const url = isRecord(part.image_url) ? part.image_url.url : part.image_url;
  if (typeof url !== "string") return null;
  const data = parseDataUrl(url);
  if (data) {
    if (!IMAGE_TYPES.has(data.mediaType)) {
      issues.unsupported.push(`image type ${data.mediaType} (${where})`);
      return null;
    }
    return {
      type: "image" as const,
      source: { type: "base64" as const, media_type: data.mediaType, data: data.base64 },
    };
  }
  if (/^https?:\/\//i.test(url)) {
    return { type: "image" as const, source: { type: "url" as const, url } };
  }
  issues.unsupported.push(`image URL scheme (${where})`);
  return null;
}

/** A `file` part with inline data: a PDF or plain-text document; OpenAI file ids mean nothing here. */
function fileBlock(part: LooseBlock, where: string, issues: TranslationIssues) {
  const file = isRecord(part.file) ? part.file : {};
  const data = typeof file.file_data === "string" ? parseDataUrl(file.file_data) : null;
  const title = typeof file.filename === "string" ? { title: file.filename } : {};
  if (data?.mediaType === "application/pdf") {
    return {
      type: "document" as const,
      source: { type: "base64", media_type: "application/pdf", data: data.base64 },
      ...title,
    };
  }
  if (data?.mediaType === "text/plain") {
    const text = Buffer.from(data.base64, "base64").toString("utf8");
    return {
      type: "document" as const,
      source: { type: "text", media_type: "text/plain", data: text },
      ...title,
    };
  }
  issues.unsupported.push(
    data ? `file type ${data.mediaType} (${where})` : `file without inline data (${where})`,
  );
  return null;
}

function userBlocks(
  content: unknown,
  i: number,
  issues: TranslationIssues,
): AnthropicContentBlock[] {
  const blocks: AnthropicContentBlock[] = [];
  contentBlocks(content).forEach((part, j) => {
    const where = `messages[${i}].content[${j}]`;
    let block: AnthropicContentBlock | null = null;
    if (part.type === "text")
      block = textOf(part) === "" ? null : { type: "text", text: textOf(part) };
    else if (part.type === "image_url") block = imageBlock(part, where, issues);
    else if (part.type === "file") block = fileBlock(part, where, issues);
    else if (part.type === "input_audio") issues.unsupported.push(`audio input (${where})`);
    else issues.unsupported.push(`${part.type} part (${where})`);
    if (block) blocks.push(block);
  });
  return blocks;
}

/** Text of assistant or tool content: a string or text/refusal parts. */
function plainText(content: unknown): string {
  return contentBlocks(content)
    .map((part) =>
      part.type === "refusal" && typeof part.refusal === "string" ? part.refusal : textOf(part),
    )
    .join("");
}

function assistantBlocks(message: Record<string, unknown>, i: number, issues: TranslationIssues) {
  const blocks: AnthropicContentBlock[] = [];
  const text = plainText(message.content);
  if (text !== "") blocks.push({ type: "text", text });
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  calls.forEach((call, k) => {
    if (!isRecord(call)) return;
    const fn = isRecord(call.function) ? call.function : {};
    blocks.push({
      type: "tool_use",
      id: anthropicToolId(call.id, `toolu_${i}_${k}`),
      name: typeof fn.name === "string" ? fn.name : "",
      input: parseToolArguments(typeof fn.arguments === "string" ? fn.arguments : ""),
    });
  });
  if (message.function_call !== undefined && message.function_call !== null) {
    issues.unsupported.push(`legacy function_call (messages[${i}])`);
  }
  return blocks;
}

/**
 * Chat messages as Anthropic `system` + `messages`. System and developer messages, wherever
 * they are, join the top-level `system` (Anthropic's place for them under API 2023-06-01).
 * Tool messages become `tool_result` blocks of a user turn, and consecutive turns of one role
 * merge, since Anthropic wants user and assistant to alternate. Reasoning from earlier turns
 * (`reasoning_content`) is not sent: Anthropic only takes thinking it signed.
 */
export function chatMessagesToAnthropic(
  messages: unknown[],
  issues: TranslationIssues,
): { system: string; messages: AnthropicMessageParam[] } {
  const system: string[] = [];
  const out: Array<{ role: "user" | "assistant"; content: AnthropicContentBlock[] }> = [];
  const add = (role: "user" | "assistant", blocks: AnthropicContentBlock[]) => {
    if (blocks.length === 0) return;
    const last = out.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else out.push({ role, content: blocks });
  };
  messages.forEach((message, i) => {
    if (!isRecord(message)) return;
    switch (message.role) {
      case "system":
      case "developer": {
        const text = plainText(message.content);
        if (text !== "") system.push(text);
        break;
      }
      case "user":
        add("user", userBlocks(message.content, i, issues));
        break;
      case "assistant":
        add("assistant", assistantBlocks(message, i, issues));
        break;
      case "tool": {
        const text = plainText(message.content);
        add("user", [
          {
            type: "tool_result",
            tool_use_id: anthropicToolId(message.tool_call_id, ""),
            ...(text !== "" ? { content: text } : {}),
          },
        ]);
        break;
      }
      default:
        issues.unsupported.push(`${String(message.role)} message (messages[${i}])`);
    }
  });
  // A single text block goes as a plain string, the form every Anthropic example uses.
  const simplified = out.map(({ role, content }) => {
    const only = content[0];
    return content.length === 1 && only?.type === "text"
      ? { role, content: only.text }
      : { role, content };
  });
  return { system: system.join("\n\n"), messages: simplified };
}
