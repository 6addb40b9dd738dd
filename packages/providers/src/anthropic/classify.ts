import type { AttemptOutcome } from "@429chain/contracts";
import { type ClassifyHooks, classifyWithHooks } from "../common/classify";
import { lowCreditRule, spendCapRule } from "../common/quota-rules";
import type { UpstreamResponse } from "../types";
import { parseAnthropicRateLimitHeaders } from "./headers";

/**
 * Anthropic errors are `{"type":"error","error":{"type","message"}}`. What the shared status
 * mapping already does right: 429 `rate_limit_error` → rate limited until `retry-after` or the
 * longest exhausted window; 529 `overloaded_error` → upstream error (capacity: the circuit
 * breaker, never the quota); 401 → auth failed for the provider, 403 `permission_error` → for
 * the entry; 404 `not_found_error`, 413 `request_too_large` and other 400s → client error;
 * 402 `billing_error` → out of credit.
 */
export const anthropicClassifyHooks: ClassifyHooks = {
  // Limits are per organization and per model class, and the headers of an answer describe
  // the class of the model asked: they belong to this entry, not to the whole account.
  headerScope: "entry",
  parseRateLimitHeaders: parseAnthropicRateLimitHeaders,
  rules: [spendCapRule, lowCreditRule],
};

export function classifyAnthropicResponse(res: UpstreamResponse): AttemptOutcome {
  return classifyWithHooks(res, anthropicClassifyHooks);
}
