import { bearerAuth } from "../common/bearer-auth";
import { classifyStreamEvent } from "../common/stream-events";
import type { ProviderAdapter } from "../types";
import { classifyGroqResponse, groqClassifyHooks } from "./classify";
import { parseGroqRateLimitHeaders } from "./headers";
import { prepareGroqRequest } from "./request";

export const groqAdapter: ProviderAdapter = {
  type: "groq",
  defaultBaseUrl: "https://api.groq.com/openai/v1",
  headerScope: groqClassifyHooks.headerScope,
  streamUsage: true,
  wire: "chat",
  // Groq and Cerebras have no embeddings API.
  endpoints: { chat: "/chat/completions" },
  forwardClientHeaders: [],
  authHeaders: bearerAuth,
  prepareRequest: prepareGroqRequest,
  parseRateLimitHeaders: parseGroqRateLimitHeaders,
  classifyResponse: classifyGroqResponse,
  classifyStreamEvent,
};
