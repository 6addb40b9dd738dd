import type { TokenUsage } from "@429chain/contracts";

/** Reads OpenAI `usage` from a parsed response or chunk; undefined when absent or malformed. */
export function readUsage(json: unknown): TokenUsage | undefined {
  const usage = (json as { usage?: Record<string, unknown> } | null)?.usage;
  if (!usage || typeof usage !== "object") return undefined;
  const prompt = usage.prompt_tokens;
  const completion = usage.completion_tokens;
  if (typeof prompt !== "number" || typeof completion !== "number") return undefined;
  const total = typeof usage.total_tokens === "number" ? usage.total_tokens : prompt + completion;
  return {
    promptTokens: prompt,
    completionTokens: completion,
    totalTokens: total,
    estimated: false,
  };
}
