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
  prepareRequest: prepareCerebrasRequest,
  parseRateLimitHeaders: parseCerebrasRateLimitHeaders,
  classifyResponse: classifyCerebrasResponse,
  classifyStreamEvent,
};
