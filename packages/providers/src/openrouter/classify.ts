import type { AttemptOutcome } from "@429chain/contracts";
import { type ClassifyHooks, type ClassifyRule, classifyWithHooks } from "../common/classify";
import { openRouterDailyRule } from "../common/quota-rules";
import { describeResponse } from "../common/reason";
import type { UpstreamResponse } from "../types";
import { parseOpenRouterRateLimitHeaders } from "./headers";

/** A 403 from moderation (`metadata.reasons`, "flagged") is about the prompt, not the key. */
const moderationRule: ClassifyRule = (ctx) => {
  const { hints } = ctx;
  if (ctx.res.status !== 403 || (!hints.flagged && !/flagged/i.test(hints.message ?? ""))) return;
  return { kind: "client_error", status: 403, reason: "403 input flagged by moderation" };
};

/**
 * A `:free` model throttled by the upstream provider (`limit_source:
 * upstream_provider_shared_pool`, "temporarily rate-limited upstream") only blocks that model.
 */
const upstreamLimitRule: ClassifyRule = (ctx) => {
  const { hints } = ctx;
  const upstream =
    hints.limitSource?.startsWith("upstream") || /rate-limited upstream/i.test(hints.message ?? "");
  if (ctx.res.status !== 429 || !upstream) return;
  const reason = describeResponse(429, hints, hints.limitSource);
  return { kind: "rate_limited", scope: "entry", retryAt: ctx.retryAt, reason };
};

export const openRouterClassifyHooks: ClassifyHooks = {
  // OpenRouter's own limits are per account: extra keys on the same account do not help.
  headerScope: "provider",
  parseRateLimitHeaders: parseOpenRouterRateLimitHeaders,
  rules: [openRouterDailyRule, upstreamLimitRule, moderationRule],
};

export function classifyOpenRouterResponse(res: UpstreamResponse): AttemptOutcome {
  return classifyWithHooks(res, openRouterClassifyHooks);
}
