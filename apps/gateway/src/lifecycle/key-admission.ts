import { hasKeyLimits, type KeyAdmission, type KeyLimiter } from "@429chain/quota";
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
