import type { ChatUsage } from "../chat-types";
import type { AnthropicDeltaUsage, AnthropicUsage } from "./types";

/** The counters Anthropic always reports (cache fields 0 when nothing was cached). */
interface AnthropicUsageCounts {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

const count = (value: unknown): number =>
  typeof value === "number" && Number.isFinite(value) && value > 0 ? Math.floor(value) : 0;

/**
 * Chat usage as Anthropic's. OpenAI's `prompt_tokens` includes cached tokens, Anthropic's
 * `input_tokens` does not, so cache reads (`prompt_tokens_details.cached_tokens`, DeepSeek's
 * top-level `prompt_cache_hit_tokens`) and cache writes (OpenRouter's
 * `prompt_tokens_details.cache_write_tokens`) are taken out of the input count.
 */
export function toAnthropicUsage(usage: ChatUsage): AnthropicUsageCounts {
  const details = (usage.prompt_tokens_details ?? {}) as Record<string, unknown>;
  const raw = usage as unknown as Record<string, unknown>;
  const cacheRead = count(details.cached_tokens) || count(raw.prompt_cache_hit_tokens);
  const cacheWrite = count(details.cache_write_tokens);
  return {
    input_tokens: Math.max(0, count(usage.prompt_tokens) - cacheRead - cacheWrite),
    output_tokens: count(usage.completion_tokens),
    cache_creation_input_tokens: cacheWrite,
    cache_read_input_tokens: cacheRead,
  };
}

/**
 * Anthropic usage as chat usage: the prompt is input + cache writes + cache reads (Anthropic's
 * `input_tokens` counts only the uncached part), cache reads are OpenAI's `cached_tokens`.
 */
export function toChatUsage(usage: AnthropicUsage | AnthropicDeltaUsage): ChatUsage {
  const cacheRead = count(usage.cache_read_input_tokens);
  const prompt = count(usage.input_tokens) + count(usage.cache_creation_input_tokens) + cacheRead;
  const completion = count(usage.output_tokens);
  const chat: ChatUsage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  };
  if (cacheRead > 0) chat.prompt_tokens_details = { cached_tokens: cacheRead };
  const thinking = count(usage.output_tokens_details?.thinking_tokens);
  if (thinking > 0) chat.completion_tokens_details = { reasoning_tokens: thinking };
  return chat;
}
