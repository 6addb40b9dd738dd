import type { AttemptOutcome } from "@429chain/contracts";
import { type ClassifyHooks, type ClassifyRule, classifyWithHooks } from "../common/classify";
import { perDayMessageRule } from "../common/quota-rules";
import { describeResponse } from "../common/reason";
import type { UpstreamResponse } from "../types";
import { parseCerebrasRateLimitHeaders } from "./headers";

/**
 * Cerebras answers a spent per-minute window with a 429 that carries no retry-after, and
 * reports no request-minute window at all; its token-minute window's reset marks the end of
 * the same minute, so that is when to come back (assumes both minute windows align).
 */
const minuteResetRule: ClassifyRule = (ctx) => {
  if (ctx.res.status !== 429 || ctx.retryAt !== undefined) return;
  if (!/per minute/i.test(ctx.hints.message ?? "")) return;
  const minute = ctx.windows.find((w) => w.name === "tokens-minute");
  if (!minute) return;
  const reason = describeResponse(429, ctx.hints);
  return { kind: "rate_limited", scope: "entry", retryAt: minute.resetAt, reason };
};

export const cerebrasClassifyHooks: ClassifyHooks = {
  // Cerebras limits are per organization and per model.
  headerScope: "entry",
  parseRateLimitHeaders: parseCerebrasRateLimitHeaders,
  // The 429 body is top-level `{message, type: too_many_requests_error, code:
  // request_quota_exceeded}` for both windows; the exhausted day window found in the headers
  // sets the cooldown, and a message naming the day marks the quota exhausted.
  rules: [perDayMessageRule, minuteResetRule],
};

export function classifyCerebrasResponse(res: UpstreamResponse): AttemptOutcome {
  return classifyWithHooks(res, cerebrasClassifyHooks);
}
