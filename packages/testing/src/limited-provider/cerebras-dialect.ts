import type { FakeHeaders } from "../fake-upstream/types";
import { type Dialect, type DialectContext, findWindow, primaryViolation } from "./dialect";
import type { WindowName, WindowState } from "./limit-ledger";

const MESSAGES: Record<WindowName, string> = {
  rpm: "Requests per minute limit exceeded - too many requests sent.",
  rpd: "Requests per day limit exceeded - too many requests sent.",
  tpm: "Tokens per minute limit exceeded - too many tokens processed.",
  tpd: "Tokens per day limit exceeded - too many tokens processed.",
};

function pair(headers: FakeHeaders, suffix: string, w: WindowState | undefined, now: number) {
  if (!w) return;
  headers[`x-ratelimit-limit-${suffix}`] = String(w.limit);
  headers[`x-ratelimit-remaining-${suffix}`] = String(w.remaining);
  // Float seconds, as Cerebras sends them (`33011.382867097855`).
  headers[`x-ratelimit-reset-${suffix}`] = String((w.resetAt - now) / 1000);
}

// Cerebras reports the day request window and the minute token window; RPM and TPD are
// enforced without a header. No retry-after is sent (none is documented).
function headersOf(ctx: DialectContext): FakeHeaders {
  const headers: FakeHeaders = {};
  pair(headers, "requests-day", findWindow(ctx.windows, "rpd"), ctx.now);
  pair(headers, "tokens-minute", findWindow(ctx.windows, "tpm"), ctx.now);
  return headers;
}

export const cerebrasDialect: Dialect = {
  okHeaders: headersOf,
  rateLimited(ctx, violated) {
    const w = primaryViolation(violated);
    return {
      status: 429,
      headers: headersOf(ctx),
      body: {
        message: MESSAGES[w.name],
        type: "too_many_requests_error",
        param: "quota",
        code: "request_quota_exceeded",
      },
    };
  },
};
