import { bearerAuth } from "../common/bearer-auth";
import { classifyStreamEvent } from "../common/stream-events";
import type { ProviderAdapter } from "../types";
import { classifyOpenAiResponse, openAiClassifyHooks } from "./classify";
import { parseOpenAiRateLimitHeaders } from "./headers";
import { prepareOpenAiRequest } from "./request";

export const openAiAdapter: ProviderAdapter = {
  type: "openai",
  defaultBaseUrl: "https://api.openai.com/v1",
  headerScope: openAiClassifyHooks.headerScope,
  streamUsage: true,
  wire: "chat",
  endpoints: { chat: "/chat/completions", embeddings: "/embeddings" },
  forwardClientHeaders: [],
  authHeaders: bearerAuth,
  prepareRequest: prepareOpenAiRequest,
  parseRateLimitHeaders: parseOpenAiRateLimitHeaders,
  classifyResponse: classifyOpenAiResponse,
  classifyStreamEvent,
};
