import type { RequestCost } from "./request-cost";

export type LimitedStyle = "groq" | "cerebras" | "openrouter" | "gemini";

/** Free-tier limits in compressed time: per "minute" of minuteMs and per "day" of dayMs. */
export interface ProviderLimits {
  rpm?: number;
  rpd?: number;
  tpm?: number;
  tpd?: number;
}

export type WindowName = keyof ProviderLimits;

export interface WindowState {
  name: WindowName;
  unit: "requests" | "tokens";
  period: "minute" | "day";
  limit: number;
  used: number;
  remaining: number;
  /** Epoch ms at which this fixed window ends and refills. */
  resetAt: number;
}

interface LimitLedgerOptions {
  style: LimitedStyle;
  limits: ProviderLimits;
  minuteMs: number;
  dayMs: number;
  /** Windows are aligned to this instant: minute n covers [startAt + n·minuteMs, …). */
  startAt: number;
}

export interface LimitLedger {
  /** Exact state of every configured window at `now`, counting charges made at or before it. */
  windows(now: number): WindowState[];
  /** The windows that would refuse this request at `now` (empty: it would be served). */
  violations(cost: RequestCost, now: number): WindowState[];
  wouldServe(cost: RequestCost, now: number): boolean;
  /** Tokens this provider checks against its token windows for the request. */
  admittedTokens(cost: RequestCost): number;
  /** Records a served request at `now`. */
  charge(cost: RequestCost, now: number): void;
}

interface TokenRule {
  /** Tokens checked against the token windows before serving. */
  admit(cost: RequestCost): number;
  /** Tokens counted once served. */
  charge(cost: RequestCost): number;
}

const PROMPT_PLUS_COMPLETION: TokenRule = {
  admit: (c) => c.promptTokens + c.completionTokens,
  charge: (c) => c.promptTokens + c.completionTokens,
};

// Cerebras pre-charges max_completion_tokens (provider-limits.md) and settles on real usage;
// Gemini's free-tier token quota counts input tokens only (quotaId …InputTokensPerModel…).
const TOKEN_RULES: Record<LimitedStyle, TokenRule> = {
  groq: PROMPT_PLUS_COMPLETION,
  openrouter: PROMPT_PLUS_COMPLETION,
  cerebras: {
    admit: (c) => c.promptTokens + c.maxTokens,
    charge: (c) => c.promptTokens + c.completionTokens,
  },
  gemini: { admit: (c) => c.promptTokens, charge: (c) => c.promptTokens },
};

// The windows each provider enforces on its free tier (OpenRouter's `:free` models have no
// token quota); anything else is a mistake in the scenario.
const SUPPORTED: Record<LimitedStyle, readonly WindowName[]> = {
  groq: ["rpm", "rpd", "tpm", "tpd"],
  cerebras: ["rpm", "rpd", "tpm", "tpd"],
  openrouter: ["rpm", "rpd"],
  gemini: ["rpm", "rpd", "tpm"],
};

const WINDOW_ORDER: readonly WindowName[] = ["rpd", "tpd", "rpm", "tpm"];

interface Charge {
  at: number;
  tokens: number;
}

/**
 * Fixed minute and day windows in compressed time, with the full charge history so the state
 * at any past instant can be judged exactly after the run.
 */
export function createLimitLedger(options: LimitLedgerOptions): LimitLedger {
  const { style, limits, minuteMs, dayMs, startAt } = options;
  for (const name of Object.keys(limits) as WindowName[]) {
    if (limits[name] !== undefined && !SUPPORTED[style].includes(name)) {
      throw new Error(`a ${style}-style provider has no ${name} limit`);
    }
  }
  const rule = TOKEN_RULES[style];
  const charges: Charge[] = [];

  function windowState(name: WindowName, limit: number, now: number): WindowState {
    const period = name === "rpm" || name === "tpm" ? "minute" : "day";
    const unit = name === "rpm" || name === "rpd" ? "requests" : "tokens";
    const length = period === "minute" ? minuteMs : dayMs;
    const start = startAt + Math.floor((now - startAt) / length) * length;
    let used = 0;
    for (const c of charges) {
      if (c.at >= start && c.at <= now) used += unit === "requests" ? 1 : c.tokens;
    }
    return {
      name,
      unit,
      period,
      limit,
      used,
      remaining: Math.max(0, limit - used),
      resetAt: start + length,
    };
  }

  function windows(now: number): WindowState[] {
    const out: WindowState[] = [];
    for (const name of WINDOW_ORDER) {
      const limit = limits[name];
      if (limit !== undefined) out.push(windowState(name, limit, now));
    }
    return out;
  }

  function violations(cost: RequestCost, now: number): WindowState[] {
    const tokens = rule.admit(cost);
    return windows(now).filter((w) => w.used + (w.unit === "requests" ? 1 : tokens) > w.limit);
  }

  return {
    windows,
    violations,
    wouldServe: (cost, now) => violations(cost, now).length === 0,
    admittedTokens: (cost) => rule.admit(cost),
    charge(cost, now) {
      charges.push({ at: now, tokens: rule.charge(cost) });
    },
  };
}
