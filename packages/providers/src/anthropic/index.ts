import type { ProviderAdapter } from "../types";
import { anthropicClassifyHooks, classifyAnthropicResponse } from "./classify";
import { parseAnthropicRateLimitHeaders } from "./headers";
import { anthropicAuthHeaders, prepareAnthropicRequest } from "./request";
import { classifyAnthropicStreamEvent } from "./stream-events";

/** Anthropic's own Messages API (not its OpenAI-compatible endpoint: use generic-openai). */
export const anthropicAdapter: ProviderAdapter = {
  type: "anthropic",
  // No /v1: the endpoints carry it, and a configured `…/v1` base is accepted (see joinUrl).
  defaultBaseUrl: "https://api.anthropic.com",
  headerScope: anthropicClassifyHooks.headerScope,
  // A chat-wire setting: Anthropic streams always report usage, unasked.
  streamUsage: false,
  wire: "anthropic",
  endpoints: { messages: "/v1/messages", countTokens: "/v1/messages/count_tokens" },
  // Claude Code and the Anthropic SDKs opt into features with anthropic-beta; a client's
  // anthropic-version is honoured too. Their x-api-key is the gateway's key, never forwarded.
  forwardClientHeaders: ["anthropic-beta", "anthropic-version"],
  authHeaders: anthropicAuthHeaders,
  prepareRequest: prepareAnthropicRequest,
  parseRateLimitHeaders: parseAnthropicRateLimitHeaders,
  classifyResponse: classifyAnthropicResponse,
  classifyStreamEvent: classifyAnthropicStreamEvent,
};
