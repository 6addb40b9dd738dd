import { completion, streamed } from "../fake-upstream/chat";
import type { FakeResponder, FakeResponse, ReceivedRequest } from "../fake-upstream/types";
import { cerebrasDialect } from "./cerebras-dialect";
import type { Dialect } from "./dialect";
import { createGeminiDialect } from "./gemini-dialect";
import { groqDialect } from "./groq-dialect";
import {
  createLimitLedger,
  type LimitedStyle,
  type ProviderLimits,
  type WindowName,
  type WindowState,
} from "./limit-ledger";
import { openrouterDialect } from "./openrouter-dialect";
import { type RequestCost, requestCostOf } from "./request-cost";

export interface LimitedProviderOptions {
  style: LimitedStyle;
  limits: ProviderLimits;
  /** Length of a compressed "minute" and "day"; windows are fixed and aligned to startAt. */
  minuteMs: number;
  dayMs: number;
  now?: () => number;
  /** Defaults to now() at creation. */
  startAt?: number;
  /** Completion tokens generated when max_tokens allows (default 64). */
  completionTokens?: number;
  /** Delay before a 200 (a 429 is answered at once); quota is charged on arrival. */
  latencyMs?: number;
}

export interface LimitedProvider {
  readonly style: LimitedStyle;
  readonly limits: ProviderLimits;
  readonly startAt: number;
  /** Program it on the fake upstream: `upstream.setDefault(path, provider.respond)`. */
  readonly respond: FakeResponder;
  /** The cost of a request body in this simulator's count. */
  costOf(body: unknown): RequestCost;
  /** Exact window state at `now` (default: the clock), including any past instant. */
  remaining(now?: number): WindowState[];
  wouldServe(cost: RequestCost, now?: number): boolean;
  /** Requests answered 200, and answered 429 (with the instant of each 429). */
  served(): number;
  rateLimited(): number;
  rateLimitedAt(): readonly number[];
  /** 429s by the window named in them. */
  rateLimitedBy(): Record<WindowName, number>;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

// "tok " is four characters: one token in the simulator's characters/4 count.
const completionText = (tokens: number) => "tok ".repeat(tokens).trimEnd();

function dialectFor(style: LimitedStyle, minuteMs: number, startAt: number): Dialect {
  if (style === "groq") return groqDialect;
  if (style === "cerebras") return cerebrasDialect;
  if (style === "openrouter") return openrouterDialect;
  return createGeminiDialect(minuteMs, startAt);
}

/**
 * A free-tier provider simulator: it counts every request against fixed RPM/RPD/TPM/TPD
 * windows in compressed time and answers 200 (JSON or a stream with usage) or a 429 in the
 * provider's own dialect. See docs/benchmarks.md ("freeday") for how it counts.
 */
export function createLimitedProvider(options: LimitedProviderOptions): LimitedProvider {
  const now = options.now ?? Date.now;
  const startAt = options.startAt ?? now();
  const completionSize = options.completionTokens ?? 64;
  const ledger = createLimitLedger({ ...options, startAt });
  const dialect = dialectFor(options.style, options.minuteMs, startAt);
  let served = 0;
  const refusedAt: number[] = [];
  const refusedBy: Record<WindowName, number> = { rpm: 0, rpd: 0, tpm: 0, tpd: 0 };

  function okResponse(body: Obj, model: string, cost: RequestCost, at: number): FakeResponse {
    const headers = dialect.okHeaders({
      now: at,
      model,
      windows: ledger.windows(at),
      requestedTokens: 0,
    });
    const usage = {
      prompt_tokens: cost.promptTokens,
      completion_tokens: cost.completionTokens,
      total_tokens: cost.promptTokens + cost.completionTokens,
    };
    const text = completionText(cost.completionTokens);
    if (body.stream !== true) {
      return { ...completion(model, text, usage, headers), delayMs: options.latencyMs };
    }
    const wantsUsage = isObj(body.stream_options) && body.stream_options.include_usage === true;
    // Four content frames of about equal length.
    const size = Math.ceil(text.length / 4) || 1;
    const parts = Array.from({ length: Math.ceil(text.length / size) }, (_, i) =>
      text.slice(i * size, (i + 1) * size),
    );
    return {
      ...streamed(model, parts, { headers, ...(wantsUsage ? { usage } : {}) }),
      delayMs: options.latencyMs,
    };
  }

  const respond: FakeResponder = (req: ReceivedRequest) => {
    const at = now();
    const body = isObj(req.body) ? req.body : {};
    const model = typeof body.model === "string" ? body.model : "fake-model";
    const cost = requestCostOf(body, completionSize);
    const violated = ledger.violations(cost, at);
    if (violated.length > 0) {
      refusedAt.push(at);
      const named = violated[0]?.name;
      if (named) refusedBy[named]++;
      const windows = ledger.windows(at);
      const requestedTokens = ledger.admittedTokens(cost);
      return dialect.rateLimited({ now: at, model, windows, requestedTokens }, violated);
    }
    ledger.charge(cost, at);
    served++;
    return okResponse(body, model, cost, at);
  };

  return {
    style: options.style,
    limits: options.limits,
    startAt,
    respond,
    costOf: (body) => requestCostOf(body, completionSize),
    remaining: (at = now()) => ledger.windows(at),
    wouldServe: (cost, at = now()) => ledger.wouldServe(cost, at),
    served: () => served,
    rateLimited: () => refusedAt.length,
    rateLimitedAt: () => refusedAt,
    rateLimitedBy: () => ({ ...refusedBy }),
  };
}
