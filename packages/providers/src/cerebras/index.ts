import { bearerAuth } from "../common/bearer-auth";
import { classifyStreamEvent } from "../common/stream-events";
import type { ProviderAdapter } from "../types";
import { cerebrasClassifyHooks, classifyCerebrasResponse } from "./classify";
import { parseCerebrasRateLimitHeaders } from "./headers";
import { prepareCerebrasRequest } from "./request";

export const cerebrasAdapter: ProviderAdapter = {
  type: "cerebras",
  defaultBaseUrl: "https://api.cerebras.ai/v1",
  headerScope: cerebrasClassifyHooks.headerScope,
  streamUsage: true,
  wire: "chat",
  // Groq and Cerebras have no embeddings API.
  endpoints: { chat: "/chat/completions" },
  forwardClientHeaders: [],
  authHeaders: bearerAuth,
  prepareRequest: prepareCerebrasRequest,
  parseRateLimitHeaders: parseCerebrasRateLimitHeaders,
  classifyResponse: classifyCerebrasResponse,
  classifyStreamEvent,
};
