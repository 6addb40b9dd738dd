import type { ProviderConfig } from "@429chain/contracts";
import { getProviderAdapter } from "@429chain/providers";
import type { EntryPolicy } from "./types";

/**
 * The quota policy of one provider+model: which Redis keys hold its state (the header scope
 * its adapter reports) and which manual limits apply. The gateway compiles its entries with
 * it and the admin reads their state with it, so both always name the same keys.
 */
export function entryPolicyOf(
  provider: Pick<ProviderConfig, "id" | "type" | "rateLimits" | "modelRateLimits">,
  model: string,
): EntryPolicy {
  const modelLimits = provider.modelRateLimits?.[model];
  return {
    provider: provider.id,
    model,
    headerScope: getProviderAdapter(provider.type).headerScope,
    ...(provider.rateLimits ? { providerLimits: provider.rateLimits } : {}),
    ...(modelLimits ? { modelLimits } : {}),
  };
}
