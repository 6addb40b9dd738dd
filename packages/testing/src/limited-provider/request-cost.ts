/** What one chat request costs a limited provider, in the simulator's own token count. */
export interface RequestCost {
  /** Characters of every message's text / 4, rounded up (at least 1). */
  promptTokens: number;
  /** What the simulator generates: min(max tokens asked, its completion size). */
  completionTokens: number;
  /** `max_completion_tokens` ?? `max_tokens` ?? the completion size (Cerebras pre-charges it). */
  maxTokens: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function textLength(content: unknown): number {
  if (typeof content === "string") return content.length;
  if (!Array.isArray(content)) return 0;
  let chars = 0;
  for (const part of content)
    if (isObj(part) && typeof part.text === "string") chars += part.text.length;
  return chars;
}

function positiveInt(v: unknown): number | undefined {
  return typeof v === "number" && Number.isInteger(v) && v > 0 ? v : undefined;
}

/**
 * Counts a request the way the limited providers do. Deliberately independent of the
 * gateway's estimator (no per-message overhead): the fakes are the judge, not the gateway.
 */
export function requestCostOf(body: unknown, completionSize: number): RequestCost {
  const b = isObj(body) ? body : {};
  const messages = Array.isArray(b.messages) ? b.messages : [];
  let chars = 0;
  for (const m of messages) if (isObj(m)) chars += textLength(m.content);
  const maxTokens =
    positiveInt(b.max_completion_tokens) ?? positiveInt(b.max_tokens) ?? completionSize;
  return {
    promptTokens: Math.max(1, Math.ceil(chars / 4)),
    completionTokens: Math.min(maxTokens, completionSize),
    maxTokens,
  };
}
