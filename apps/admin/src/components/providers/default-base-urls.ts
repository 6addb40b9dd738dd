import { PROVIDER_TYPES, type ProviderType } from "@429chain/contracts";
import { getProviderAdapter } from "@429chain/providers";

/** Every provider type with the base URL it uses when a provider sets none. */
export function defaultBaseUrls(): Record<ProviderType, string | null> {
  return Object.fromEntries(
    PROVIDER_TYPES.map((t) => [t, getProviderAdapter(t).defaultBaseUrl ?? null]),
  ) as Record<ProviderType, string | null>;
}
