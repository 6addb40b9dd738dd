import { bearerAuth } from "../common/bearer-auth";
import { classifyStreamEvent } from "../common/stream-events";
import type { ProviderAdapter } from "../types";
import { classifyOpenRouterResponse, openRouterClassifyHooks } from "./classify";
import { parseOpenRouterRateLimitHeaders } from "./headers";
import { prepareOpenRouterRequest } from "./request";

export const openRouterAdapter: ProviderAdapter = {
  type: "openrouter",
  defaultBaseUrl: "https://openrouter.ai/api/v1",
  headerScope: openRouterClassifyHooks.headerScope,
  streamUsage: true,
  wire: "chat",
  // openrouter.ai/docs/api_reference/embeddings
  endpoints: { chat: "/chat/completions", embeddings: "/embeddings" },
  forwardClientHeaders: [],
  authHeaders: bearerAuth,
  prepareRequest: prepareOpenRouterRequest,
  parseRateLimitHeaders: parseOpenRouterRateLimitHeaders,
  classifyResponse: classifyOpenRouterResponse,
  classifyStreamEvent,
};
