import type { AttemptOutcome } from "@429chain/contracts";
import { type ClassifyHooks, classifyWithHooks } from "../common/classify";
import { perDayMessageRule, requestTooLargeRule } from "../common/quota-rules";
import type { UpstreamResponse } from "../types";
import { parseGroqRateLimitHeaders } from "./headers";

export const groqClassifyHooks: ClassifyHooks = {
  // Groq limits are per organization and per model.
  headerScope: "entry",
  parseRateLimitHeaders: parseGroqRateLimitHeaders,
  // Tokens-per-day exhaustion is only visible in the message ("on tokens per day (TPD)").
  // 498 (flex tier out of capacity) needs no rule: it maps to upstream_error like a 5xx.
  rules: [requestTooLargeRule, perDayMessageRule],
};

export function classifyGroqResponse(res: UpstreamResponse): AttemptOutcome {
  return classifyWithHooks(res, groqClassifyHooks);
}
