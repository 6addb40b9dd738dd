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
  prepareRequest: prepareOpenAiRequest,
  parseRateLimitHeaders: parseOpenAiRateLimitHeaders,
  classifyResponse: classifyOpenAiResponse,
  classifyStreamEvent,
};
