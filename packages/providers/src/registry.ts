import type { ProviderConfig, ProviderType } from "@429chain/contracts";
import { anthropicAdapter } from "./anthropic";
import { cerebrasAdapter } from "./cerebras";
import { genericOpenAiAdapter } from "./generic-openai";
import { googleAiAdapter } from "./google-ai";
import { groqAdapter } from "./groq";
import { mistralAdapter } from "./mistral";
import { openAiAdapter } from "./openai";
import { openRouterAdapter } from "./openrouter";
import type { ProviderAdapter } from "./types";

const ADAPTERS: Record<ProviderType, ProviderAdapter> = {
  openai: openAiAdapter,
  groq: groqAdapter,
  openrouter: openRouterAdapter,
  cerebras: cerebrasAdapter,
  "google-ai": googleAiAdapter,
  mistral: mistralAdapter,
  "generic-openai": genericOpenAiAdapter,
  anthropic: anthropicAdapter,
};

export function getProviderAdapter(type: ProviderType): ProviderAdapter {
  return ADAPTERS[type];
}

/** The provider's base URL without a trailing slash (`buildUpstreamRequest` appends the path). */
export function resolveBaseUrl(provider: ProviderConfig): string {
  const url = provider.baseUrl ?? ADAPTERS[provider.type].defaultBaseUrl;
  // Only reachable with a config that bypassed ProviderConfigSchema: a bug, so it throws.
  if (!url) throw new Error(`provider "${provider.id}" (${provider.type}) has no baseUrl`);
  return url.replace(/\/+$/, "");
}
