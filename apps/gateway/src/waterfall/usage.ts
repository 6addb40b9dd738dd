import type { TokenUsage } from "@429chain/contracts";

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/**
 * Reads the usage of a parsed answer, in whichever API it speaks: OpenAI's `prompt_tokens` /
 * `completion_tokens` (embeddings report prompt tokens only), or Anthropic's `input_tokens` /
 * `output_tokens`, where cached input is counted apart and added back. Undefined when absent
 * or malformed.
 */
export function readUsage(json: unknown): TokenUsage | undefined {
  const usage = (json as { usage?: Record<string, unknown> } | null)?.usage;
  if (!usage || typeof usage !== "object") return undefined;
  const input = num(usage.input_tokens);
  if (input !== undefined) {
    const prompt =
      input +
      (num(usage.cache_creation_input_tokens) ?? 0) +
      (num(usage.cache_read_input_tokens) ?? 0);
    const completion = num(usage.output_tokens) ?? 0;
    const cached = num(usage.cache_read_input_tokens);
    return {
      promptTokens: prompt,
      completionTokens: completion,
      totalTokens: prompt + completion,
      ...(cached ? { cachedTokens: cached } : {}),
      estimated: false,
    };
  }
  const prompt = num(usage.prompt_tokens);
  if (prompt === undefined) return undefined;
  const completion = num(usage.completion_tokens) ?? 0;
  // OpenAI, Groq, Gemini's OpenAI API and OpenRouter report cache hits here.
  const details = usage.prompt_tokens_details as { cached_tokens?: unknown } | null | undefined;
  const cached = num(details?.cached_tokens);
  return {
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: num(usage.total_tokens) ?? prompt + completion,
    ...(cached ? { cachedTokens: cached } : {}),
    estimated: false,
  };
}
