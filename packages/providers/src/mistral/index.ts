import { bearerAuth } from "../common/bearer-auth";
import { classifyStreamEvent } from "../common/stream-events";
import type { ProviderAdapter } from "../types";
import { classifyMistralResponse, mistralClassifyHooks } from "./classify";
import { parseMistralRateLimitHeaders } from "./headers";
import { prepareMistralRequest } from "./request";

export const mistralAdapter: ProviderAdapter = {
  type: "mistral",
  defaultBaseUrl: "https://api.mistral.ai/v1",
  headerScope: mistralClassifyHooks.headerScope,
  streamUsage: false,
  wire: "chat",
  endpoints: { chat: "/chat/completions", embeddings: "/embeddings" },
  forwardClientHeaders: [],
  authHeaders: bearerAuth,
  prepareRequest: prepareMistralRequest,
  parseRateLimitHeaders: parseMistralRateLimitHeaders,
  classifyResponse: classifyMistralResponse,
  classifyStreamEvent,
};
