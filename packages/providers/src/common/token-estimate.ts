import type { ChatCompletionRequest } from "@429chain/contracts";

// ~4 characters per token for English text with BPE tokenizers (OpenAI's rule of thumb);
// a pre-flight estimate for quota reservation, reconciled with the reported usage afterwards.
const CHARS_PER_TOKEN = 4;
// Per-message framing (role, separators) in OpenAI's chat format, plus reply priming.
const MESSAGE_OVERHEAD = 4;
const REPLY_PRIMING = 3;
// Fixed cost per image: OpenAI's high-detail 1024×1024 tile cost (85 + 4 × 170).
const IMAGE_TOKENS = 765;
const IMAGE_PARTS = new Set(["image_url", "input_image", "image"]);

const textTokens = (chars: number) => Math.ceil(chars / CHARS_PER_TOKEN);

function contentTokens(content: unknown): number {
  if (typeof content === "string") return textTokens(content.length);
  if (!Array.isArray(content)) return 0;
  let tokens = 0;
  for (const part of content) {
    if (typeof part !== "object" || part === null) continue;
    const p = part as Record<string, unknown>;
    if (typeof p.text === "string") tokens += textTokens(p.text.length);
    else if (typeof p.type === "string" && IMAGE_PARTS.has(p.type)) tokens += IMAGE_TOKENS;
    else tokens += textTokens(JSON.stringify(p).length);
  }
  return tokens;
}

const jsonTokens = (value: unknown) =>
  value === undefined || value === null ? 0 : textTokens(JSON.stringify(value).length);

/** Cheap prompt-size estimate (no tokenizer): text/4, per-message overhead, fixed image cost. */
export function estimatePromptTokens(request: ChatCompletionRequest): number {
  let tokens = REPLY_PRIMING;
  for (const message of request.messages) {
    const m = message as Record<string, unknown>;
    tokens += MESSAGE_OVERHEAD + contentTokens(m.content);
    if (typeof m.name === "string") tokens += textTokens(m.name.length);
    tokens += jsonTokens(m.tool_calls) + jsonTokens(m.function_call);
  }
  const r = request as Record<string, unknown>;
  return tokens + jsonTokens(r.tools) + jsonTokens(r.functions);
}

/** Completion-size estimate for a streamed reply whose upstream sent no usage. */
export function estimateCompletionTokens(text: string): number {
  return textTokens(text.length);
}
