import { bearerAuth } from "../common/bearer-auth";
import { classifyStreamEvent } from "../common/stream-events";
import type { ProviderAdapter } from "../types";
import { classifyGenericOpenAiResponse, genericOpenAiClassifyHooks } from "./classify";
import { parseGenericOpenAiRateLimitHeaders } from "./headers";
import { prepareGenericOpenAiRequest } from "./request";

export const genericOpenAiAdapter: ProviderAdapter = {
  type: "generic-openai",
  // The config schema requires a baseUrl for this type.
  defaultBaseUrl: undefined,
  headerScope: genericOpenAiClassifyHooks.headerScope,
  // v1 adds include_usage for every provider type, this one included.
  streamUsage: true,
  wire: "chat",
  endpoints: { chat: "/chat/completions", embeddings: "/embeddings" },
  forwardClientHeaders: [],
  authHeaders: bearerAuth,
  prepareRequest: prepareGenericOpenAiRequest,
  parseRateLimitHeaders: parseGenericOpenAiRateLimitHeaders,
  classifyResponse: classifyGenericOpenAiResponse,
  classifyStreamEvent,
};
