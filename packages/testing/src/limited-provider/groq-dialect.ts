import type { FakeHeaders } from "../fake-upstream/types";
import { type Dialect, type DialectContext, findWindow, primaryViolation } from "./dialect";
import { formatGoDuration } from "./go-duration";
import type { WindowName, WindowState } from "./limit-ledger";

const LABELS: Record<WindowName, string> = {
  rpm: "requests per minute (RPM)",
  rpd: "requests per day (RPD)",
  tpm: "tokens per minute (TPM)",
  tpd: "tokens per day (TPD)",
};

function pair(headers: FakeHeaders, suffix: string, w: WindowState | undefined, now: number) {
  if (!w) return;
  headers[`x-ratelimit-limit-${suffix}`] = String(w.limit);
  headers[`x-ratelimit-remaining-${suffix}`] = String(w.remaining);
  headers[`x-ratelimit-reset-${suffix}`] = formatGoDuration(w.resetAt - now);
}

// Groq reuses OpenAI's header names, but `…-requests` is the DAY request window and
// `…-tokens` the minute token window (console.groq.com/docs/rate-limits); RPM and TPD are
// enforced without a header, only a 429 message names them.
function headersOf(ctx: DialectContext): FakeHeaders {
  const headers: FakeHeaders = {};
  pair(headers, "requests", findWindow(ctx.windows, "rpd"), ctx.now);
  pair(headers, "tokens", findWindow(ctx.windows, "tpm"), ctx.now);
  return headers;
}

export const groqDialect: Dialect = {
  okHeaders: headersOf,
  rateLimited(ctx, violated) {
    const w = primaryViolation(violated);
    const wait = w.resetAt - ctx.now;
    const requested = w.unit === "requests" ? 1 : ctx.requestedTokens;
    const message =
      `Rate limit reached for model \`${ctx.model}\` in organization \`org_fake\` service tier ` +
      `\`on_demand\` on ${LABELS[w.name]}: Limit ${w.limit}, Used ${w.used}, Requested ` +
      `${requested}. Please try again in ${formatGoDuration(wait)}. Need more tokens? Upgrade ` +
      "to Dev Tier today at https://console.groq.com/settings/billing";
    return {
      status: 429,
      // Groq's retry-after is whole seconds.
      headers: { "retry-after": String(Math.ceil(wait / 1000)), ...headersOf(ctx) },
      body: { error: { message, type: w.unit, code: "rate_limit_exceeded" } },
    };
  },
};
