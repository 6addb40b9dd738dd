import type { AttemptOutcome, LimitScope, RateLimitWindow } from "@429chain/contracts";
import type { HeaderMap, UpstreamResponse } from "../types";
import { type BodyHints, looksRateLimited, parseBodyHints } from "./body-hints";
import { nextMidnightUtc } from "./midnight";
import { parseRetryAfter } from "./parse-retry-after";
import { longestExhaustedReset } from "./rate-limit-windows";
import { describeResponse } from "./reason";

/** Where `retryAt` came from, so rules can distrust a source (Gemini's short per-day delay). */
type RetrySource = "retry-after" | "window" | "body";

export interface ClassifyContext {
  res: UpstreamResponse;
  hints: BodyHints;
  /** Windows from the headers, or from OpenRouter's copy in the body when headers have none. */
  windows: RateLimitWindow[];
  retryAt: number | undefined;
  retrySource: RetrySource | undefined;
  headerScope: LimitScope;
  /** When this provider's daily quotas reset next. */
  dailyResetAt: number;
}

/** A provider quirk: returns an outcome to take over, or undefined to fall through. */
export type ClassifyRule = (ctx: ClassifyContext) => AttemptOutcome | undefined;

export interface ClassifyHooks {
  headerScope: LimitScope;
  parseRateLimitHeaders(headers: HeaderMap, now: number): RateLimitWindow[];
  /** Tried in order on every non-2xx response before the status mapping. */
  rules?: readonly ClassifyRule[];
  nextDailyReset?(now: number): number;
}

const CLIENT_ERROR_STATUSES = new Set([400, 404, 413, 422]);
// OpenRouter: "This request requires more credits, or fewer max_tokens. You requested up to
// 16384 tokens, but can only afford 3000."
const REQUEST_PRICED_OUT = /fewer max_tokens|can only afford|requires more credits, or fewer/i;

/**
 * Cooldown end in the documented order: retry-after-ms, Retry-After, the longest exhausted
 * header window, body hints. An exhausted daily window beats a shorter Retry-After.
 */
function resolveRetry(
  res: UpstreamResponse,
  hints: BodyHints,
  windows: RateLimitWindow[],
): Pick<ClassifyContext, "retryAt" | "retrySource"> {
  const header =
    parseRetryAfter(res.headers, res.now) ??
    (hints.metadataHeaders ? parseRetryAfter(hints.metadataHeaders, res.now) : undefined);
  const window = longestExhaustedReset(windows);
  if (header !== undefined) {
    if (window && /day/.test(window.name) && window.resetAt > header) {
      return { retryAt: window.resetAt, retrySource: "window" };
    }
    return { retryAt: header, retrySource: "retry-after" };
  }
  if (window) return { retryAt: window.resetAt, retrySource: "window" };
  if (hints.retryDelayMs !== undefined) {
    return { retryAt: res.now + hints.retryDelayMs, retrySource: "body" };
  }
  return { retryAt: undefined, retrySource: undefined };
}

function buildContext(res: UpstreamResponse, hooks: ClassifyHooks): ClassifyContext {
  const hints = parseBodyHints(res.body);
  let windows = hooks.parseRateLimitHeaders(res.headers, res.now);
  if (windows.length === 0 && hints.metadataHeaders) {
    windows = hooks.parseRateLimitHeaders(hints.metadataHeaders, res.now);
  }
  return {
    res,
    hints,
    windows,
    ...resolveRetry(res, hints, windows),
    headerScope: hooks.headerScope,
    dailyResetAt: (hooks.nextDailyReset ?? nextMidnightUtc)(res.now),
  };
}

function classifySuccess(ctx: ClassifyContext): AttemptOutcome {
  const { hints, res } = ctx;
  const isObject = typeof hints.json === "object" && hints.json !== null;
  if (isObject && !hints.isError) return { kind: "ok" };
  if (!isObject) {
    return { kind: "upstream_error", status: res.status, reason: `${res.status} body is not JSON` };
  }
  const reason = describeResponse(res.status, hints, "error body");
  // A 200 carrying a rate-limit error is treated like the same error mid-stream.
  if (looksRateLimited(hints)) {
    return { kind: "rate_limited", scope: "entry", retryAt: ctx.retryAt, reason };
  }
  return { kind: "upstream_error", status: res.status, reason };
}

function bodyKind(body: string, hints: BodyHints): string | undefined {
  if (body.trim() === "") return "empty body";
  return hints.json === undefined ? "non-JSON body" : undefined;
}

/**
 * A window an error message spells out ("on tokens per day (TPD): Limit 60000, Used 59700,
 * Requested 500"), as if a header had reported it: the upstream's own count, until the wait
 * it gave (else the end of the minute or day).
 */
function reportedWindow(ctx: ClassifyContext): RateLimitWindow | undefined {
  const r = ctx.hints.windowReport;
  if (!r) return undefined;
  const fallback = r.period === "day" ? ctx.dailyResetAt : ctx.res.now + 60_000;
  return {
    name: `${r.unit}-${r.period}`,
    unit: r.unit,
    limit: r.limit,
    remaining: Math.max(0, r.limit - r.used),
    resetAt: ctx.retryAt ?? fallback,
  };
}

/** The status-first mapping shared by every provider; `hooks.rules` state the quirks. */
export function classifyWithHooks(res: UpstreamResponse, hooks: ClassifyHooks): AttemptOutcome {
  const ctx = buildContext(res, hooks);
  if (res.status >= 200 && res.status < 300) return classifySuccess(ctx);
  const outcome = classifyFailure(ctx, hooks);
  const window = res.status === 429 ? reportedWindow(ctx) : undefined;
  if (!window) return outcome;
  const r = ctx.hints.windowReport;
  // Tokens are left, just not enough for this request: smaller requests still fit, so the
  // entry does not cool; the window makes the next too-large request skip it without a call.
  // A header window that says it is spent wins over the message.
  const spent = longestExhaustedReset(ctx.windows) !== undefined;
  if (
    r &&
    r.unit === "tokens" &&
    !spent &&
    window.remaining > 0 &&
    window.remaining < r.requested
  ) {
    const reason = `429 tokens per ${r.period}: ${r.requested} requested, ${window.remaining} left`;
    return { kind: "rejected", status: 429, reason, windows: [window] };
  }
  if (outcome.kind === "rate_limited" || outcome.kind === "quota_exhausted") {
    return { ...outcome, windows: [window] };
  }
  return outcome;
}

function classifyFailure(ctx: ClassifyContext, hooks: ClassifyHooks): AttemptOutcome {
  const { res } = ctx;
  const { status } = res;
  for (const rule of hooks.rules ?? []) {
    const outcome = rule(ctx);
    if (outcome) return outcome;
  }
  const reason = describeResponse(status, ctx.hints, bodyKind(res.body, ctx.hints));
  if (status === 429) {
    return { kind: "rate_limited", scope: ctx.headerScope, retryAt: ctx.retryAt, reason };
  }
  if (status === 402) {
    // A 402 about this request ("fewer max_tokens") says nothing about the account: another
    // entry may serve it and nothing cools. Any other 402 is the account out of credit.
    if (REQUEST_PRICED_OUT.test(ctx.hints.message ?? ""))
      return { kind: "rejected", status, reason };
    const retryAt = ctx.retrySource === "retry-after" ? ctx.retryAt : undefined;
    return { kind: "quota_exhausted", scope: "provider", retryAt, reason };
  }
  if (status === 401) return { kind: "auth_failed", scope: "provider", status, reason };
  if (status === 403) return { kind: "auth_failed", scope: "entry", status, reason };
  if (CLIENT_ERROR_STATUSES.has(status)) return { kind: "client_error", status, reason };
  return { kind: "upstream_error", status, reason };
}
