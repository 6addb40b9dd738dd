import type { ProviderType } from "../config";

/** [model id prefix, input, output, cached input] in USD per million tokens. */
type Row = readonly [string, number, number, number?];

/**
 * Paid list prices of well-known models, from each provider's public pricing page as of
 * 2025-09-30 (openai.com/api/pricing, anthropic.com/pricing, ai.google.dev/pricing (paid tier,
 * prompts ≤ 200k tokens), groq.com/pricing, cerebras.ai/pricing (pay-per-token),
 * openrouter.ai/models). Prices change: an entry's own `price` overrides its row, and a free
 * tier is marked with the provider's `free: true`.
 */
export const PRICE_TABLE: Partial<Record<ProviderType, readonly Row[]>> = {
  openai: [
    ["gpt-5", 1.25, 10, 0.125],
    ["gpt-5-mini", 0.25, 2, 0.025],
    ["gpt-5-nano", 0.05, 0.4, 0.005],
    ["gpt-4.1", 2, 8, 0.5],
    ["gpt-4.1-mini", 0.4, 1.6, 0.1],
    ["gpt-4.1-nano", 0.1, 0.4, 0.025],
    ["gpt-4o", 2.5, 10, 1.25],
    ["gpt-4o-mini", 0.15, 0.6, 0.075],
    ["o3", 2, 8, 0.5],
    ["o3-mini", 1.1, 4.4, 0.55],
    ["o4-mini", 1.1, 4.4, 0.275],
    ["text-embedding-3-small", 0.02, 0],
    ["text-embedding-3-large", 0.13, 0],
  ],
  anthropic: [
    ["claude-opus-4", 15, 75, 1.5],
    ["claude-sonnet-4", 3, 15, 0.3],
    ["claude-haiku-4-5", 1, 5, 0.1],
    ["claude-3-7-sonnet", 3, 15, 0.3],
    ["claude-3-5-sonnet", 3, 15, 0.3],
    ["claude-3-5-haiku", 0.8, 4, 0.08],
    ["claude-3-haiku", 0.25, 1.25, 0.03],
  ],
  "google-ai": [
    ["gemini-2.5-pro", 1.25, 10, 0.31],
    ["gemini-2.5-flash", 0.3, 2.5, 0.075],
    ["gemini-2.5-flash-lite", 0.1, 0.4, 0.025],
    ["gemini-2.0-flash", 0.1, 0.4, 0.025],
    ["gemini-2.0-flash-lite", 0.075, 0.3],
    ["gemini-embedding-001", 0.15, 0],
  ],
  groq: [
    ["llama-3.1-8b-instant", 0.05, 0.08],
    ["llama-3.3-70b-versatile", 0.59, 0.79],
    ["meta-llama/llama-4-scout-17b-16e-instruct", 0.11, 0.34],
    ["meta-llama/llama-4-maverick-17b-128e-instruct", 0.2, 0.6],
    ["openai/gpt-oss-120b", 0.15, 0.75],
    ["openai/gpt-oss-20b", 0.1, 0.5],
    ["qwen/qwen3-32b", 0.29, 0.59],
    ["moonshotai/kimi-k2-instruct", 1, 3],
  ],
  cerebras: [
    ["llama3.1-8b", 0.1, 0.1],
    ["llama-3.3-70b", 0.85, 1.2],
    ["gpt-oss-120b", 0.35, 0.75],
    ["qwen-3-32b", 0.4, 0.8],
    ["qwen-3-235b-a22b-instruct-2507", 0.6, 1.2],
  ],
  // Paid models only: an OpenRouter id ending in ":free" is priced 0 wherever it is listed.
  openrouter: [
    ["openai/gpt-5", 1.25, 10, 0.125],
    ["openai/gpt-4o", 2.5, 10, 1.25],
    ["openai/gpt-4o-mini", 0.15, 0.6, 0.075],
    ["openai/gpt-4.1-mini", 0.4, 1.6, 0.1],
    ["anthropic/claude-sonnet-4", 3, 15, 0.3],
    ["anthropic/claude-3.5-haiku", 0.8, 4, 0.08],
    ["google/gemini-2.5-flash", 0.3, 2.5, 0.075],
    ["google/gemini-2.5-pro", 1.25, 10, 0.31],
    ["meta-llama/llama-3.3-70b-instruct", 0.13, 0.4],
    ["deepseek/deepseek-chat", 0.3, 0.85],
  ],
};
