import {
  hasKeyLimits,
  type KeyAdmission,
  type KeyLimiter,
  type SpendBudgets,
} from "@429chain/quota";
import type { ClientKeyInfo } from "../config/snapshot";
import { GatewayError } from "../errors";

export type Admitted = Extract<KeyAdmission, { ok: true }>;

const UNLIMITED: Admitted = { ok: true, settle: async () => {} };

/**
 * The key's own limits, before any upstream is tried: its 429 never waterfalls. The
 * admission reserves the request's estimated tokens; its `settle` replaces them with what
 * the request used.
 */
export async function admitKey(
  limiter: KeyLimiter,
  key: ClientKeyInfo | undefined,
  estimatedTokens: number,
): Promise<Admitted> {
  if (!key || !hasKeyLimits(key)) return UNLIMITED;
  const admission = await limiter.admit(key, estimatedTokens);
  if (admission.ok) return admission;
  const opts = { retryAt: admission.retryAt };
  throw admission.reason === "rate_limited"
    ? new GatewayError(
        "key_rate_limited",
        `This API key is limited to ${key.rpm} requests per minute.`,
        opts,
      )
    : new GatewayError("key_budget_exceeded", "This API key has used its token budget.", opts);
}

export interface KeySpend {
  /** Settles the key's spend to what the request cost. Never throws. */
  settle(costMicros: number): Promise<void>;
  /** Set when the key's spend could not be checked: the request may use free entries only. */
  paidBlocked: string | null;
}

const NO_KEY_SPEND: KeySpend = { settle: async () => {}, paidBlocked: null };

/**
 * The key's spend budgets (USD per UTC day and month): a key that has spent one gets 429
 * `key_spend_exceeded`. What a request costs is only known once it is served, so the check
 * is "spent below the limit"; in-flight requests may pass it by their own cost.
 */
export async function admitKeySpend(
  budgets: SpendBudgets,
  key: ClientKeyInfo | undefined,
): Promise<KeySpend> {
  if (!key || (key.dailySpendMicros === null && key.monthlySpendMicros === null)) {
    return NO_KEY_SPEND;
  }
  const limits = { dailyMicros: key.dailySpendMicros, monthlyMicros: key.monthlySpendMicros };
  const r = await budgets.reserve(`key:${key.id}`, limits, 0);
  if (r.ok) return { settle: r.settle, paidBlocked: null };
  if (r.reason === "unavailable") {
    return {
      ...NO_KEY_SPEND,
      paidBlocked:
        "budget: this API key's spend budget cannot be checked (shared state unreachable); paid entries are skipped",
    };
  }
  throw new GatewayError(
    "key_spend_exceeded",
    `This API key has used its ${r.window === "day" ? "daily" : "monthly"} spend budget.`,
    r.retryAt === null ? {} : { retryAt: r.retryAt },
  );
}
