import { bearerAuth } from "../common/bearer-auth";
import { classifyStreamEvent } from "../common/stream-events";
import type { ProviderAdapter } from "../types";
import { classifyGoogleAiResponse, googleAiClassifyHooks } from "./classify";
import { parseGoogleAiRateLimitHeaders } from "./headers";
import { prepareGoogleAiRequest } from "./request";

export const googleAiAdapter: ProviderAdapter = {
  type: "google-ai",
  defaultBaseUrl: "https://generativelanguage.googleapis.com/v1beta/openai",
  headerScope: googleAiClassifyHooks.headerScope,
  streamUsage: true,
  wire: "chat",
  // Gemini's OpenAI-compatible endpoint serves embeddings too.
  endpoints: { chat: "/chat/completions", embeddings: "/embeddings" },
  forwardClientHeaders: [],
  authHeaders: bearerAuth,
  prepareRequest: prepareGoogleAiRequest,
  parseRateLimitHeaders: parseGoogleAiRateLimitHeaders,
  classifyResponse: classifyGoogleAiResponse,
  classifyStreamEvent,
};
