import type { AttemptOutcome } from "@429chain/contracts";
import { type ClassifyHooks, classifyWithHooks } from "../common/classify";
import { insufficientQuotaRule, requestTooLargeRule } from "../common/quota-rules";
import type { UpstreamResponse } from "../types";
import { parseOpenAiRateLimitHeaders } from "./headers";

export const openAiClassifyHooks: ClassifyHooks = {
  // OpenAI limits are per organization and per model: the headers describe this entry.
  headerScope: "entry",
  parseRateLimitHeaders: parseOpenAiRateLimitHeaders,
  rules: [requestTooLargeRule, insufficientQuotaRule],
};

export function classifyOpenAiResponse(res: UpstreamResponse): AttemptOutcome {
  return classifyWithHooks(res, openAiClassifyHooks);
}
