import type { AttemptOutcome } from "@429chain/contracts";
import { type ClassifyHooks, classifyWithHooks } from "../common/classify";
import { perDayMessageRule } from "../common/quota-rules";
import type { UpstreamResponse } from "../types";
import { parseCerebrasRateLimitHeaders } from "./headers";

export const cerebrasClassifyHooks: ClassifyHooks = {
  // Cerebras limits are per organization and per model.
  headerScope: "entry",
  parseRateLimitHeaders: parseCerebrasRateLimitHeaders,
  // The 429 body is top-level `{message, type: too_many_requests_error, code:
  // request_quota_exceeded}` for both windows; the exhausted day window found in the headers
  // sets the cooldown, and a message naming the day marks the quota exhausted.
  rules: [perDayMessageRule],
};

export function classifyCerebrasResponse(res: UpstreamResponse): AttemptOutcome {
  return classifyWithHooks(res, cerebrasClassifyHooks);
}
