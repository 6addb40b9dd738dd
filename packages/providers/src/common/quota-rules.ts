import type { AttemptOutcome, LimitScope } from "@429chain/contracts";
import type { ClassifyContext, ClassifyRule } from "./classify";
import { getHeader } from "./header-value";
import { describeWithDetail } from "./reason";

// The "must not be retried soon" 429s listed in provider-limits.md, one rule each, so every
// provider folder picks the ones its upstream can send.

const is429 = (ctx: ClassifyContext) => ctx.res.status === 429;

/** Daily quota: the real reset when the upstream gave one, else the provider's next day. */
function dailyExhausted(ctx: ClassifyContext, scope: LimitScope, detail: string): AttemptOutcome {
  return {
    kind: "quota_exhausted",
    scope,
    retryAt: ctx.retryAt ?? ctx.dailyResetAt,
    reason: describeWithDetail(429, ctx.hints, detail),
  };
}

/** OpenAI `insufficient_quota`: out of credit, no reset to wait for. */
export const insufficientQuotaRule: ClassifyRule = (ctx) => {
  const { code, type } = ctx.hints;
  if (!is429(ctx) || (code !== "insufficient_quota" && type !== "insufficient_quota")) return;
  return { kind: "quota_exhausted", scope: "provider", reason: "429 insufficient_quota" };
};

/**
 * OpenAI "Request too large" comes as a 429 `rate_limit_exceeded` but can never succeed on
 * this entry; reported as 413 so the client is not told to retry.
 */
export const requestTooLargeRule: ClassifyRule = (ctx) => {
  if (!is429(ctx) || !/request too large/i.test(ctx.hints.message ?? "")) return;
  return { kind: "client_error", status: 413, reason: "429 request too large for this model" };
};

/** Groq tokens-per-day: only the message says "per day". */
export const perDayMessageRule: ClassifyRule = (ctx) => {
  if (!is429(ctx) || !/per day/i.test(ctx.hints.message ?? "")) return;
  const unit = /tokens per day/i.test(ctx.hints.message ?? "") ? "tokens" : "requests";
  return dailyExhausted(ctx, "entry", `${unit} per day`);
};

/**
 * Gemini per-day quota (`QuotaFailure` id `…PerDay…`) or `limit: 0` (model not on the free
 * tier). A per-day violation can carry a short retryDelay, so a body delay never shortens
 * the wait below the daily reset.
 */
export const geminiDailyRule: ClassifyRule = (ctx) => {
  const { hints } = ctx;
  const perDay = hints.quotaIds.some((id) => /PerDay/i.test(id));
  if (!is429(ctx) || (!perDay && !hints.limitZero)) return;
  const header = ctx.retrySource === "body" ? undefined : ctx.retryAt;
  const detail = hints.limitZero ? "limit 0 (model not on free tier)" : "per-day quota";
  return {
    kind: "quota_exhausted",
    scope: "entry",
    retryAt: header ?? ctx.dailyResetAt,
    reason: `429 RESOURCE_EXHAUSTED: ${detail}`,
  };
};

/** OpenRouter `free-models-per-day`: account-wide, resets at 00:00 UTC. */
export const openRouterDailyRule: ClassifyRule = (ctx) => {
  const { hints } = ctx;
  const daily =
    hints.limitSource === "openrouter_free_tier_daily" ||
    /free-models-per-day/i.test(hints.message ?? "");
  if (!is429(ctx) || !daily) return;
  return dailyExhausted(ctx, "provider", "free-models-per-day");
};

/** Anthropic monthly spend cap: a 429 with no retry-after; the text may name the date. */
export const spendCapRule: ClassifyRule = (ctx) => {
  if (!is429(ctx) || ctx.hints.errorCode !== "enforced_spend_limit_reached") return;
  const date = /\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?)?/.exec(
    ctx.hints.message ?? "",
  );
  const at = date ? Date.parse(date[0]) : Number.NaN;
  return {
    kind: "quota_exhausted",
    scope: "provider",
    retryAt: Number.isNaN(at) || at <= ctx.res.now ? undefined : at,
    reason: "429 enforced_spend_limit_reached: spend cap",
  };
};

/** Cloudflare Workers AI code 3036: the daily free allocation is used up (resets 00:00 UTC). */
export const cloudflareDailyRule: ClassifyRule = (ctx) => {
  if (!is429(ctx) || !ctx.hints.cloudflareCodes.includes(3036)) return;
  return dailyExhausted(ctx, "provider", "daily allocation (3036)");
};

/** GitHub Models `x-ratelimit-type: UserByModelByDay`; Retry-After then counts in hours. */
export const githubDailyRule: ClassifyRule = (ctx) => {
  if (!is429(ctx) || getHeader(ctx.res.headers, "x-ratelimit-type") !== "UserByModelByDay") return;
  return dailyExhausted(ctx, "entry", "UserByModelByDay");
};

/**
 * Anthropic "Your credit balance is too low to access the Anthropic API" (a 400
 * `invalid_request_error`): the organization's prepaid credit is used up for every model and
 * key until someone buys more, so no reset time; not a problem with this request.
 */
export const lowCreditRule: ClassifyRule = (ctx) => {
  const { status } = ctx.res;
  if (status < 400 || status >= 500 || !/credit balance is too low/i.test(ctx.hints.message ?? ""))
    return;
  return {
    kind: "quota_exhausted",
    scope: "provider",
    reason: describeWithDetail(status, ctx.hints, "credit balance too low"),
  };
};
