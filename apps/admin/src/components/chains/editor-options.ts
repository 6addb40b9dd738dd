import { EMBEDDINGS_PROVIDER_TYPES } from "@429chain/contracts";
import type { ChainList, ProviderView } from "@429chain/db";
import type { ProviderOption } from "./provider-choices";

/** What the chain editor offers: every provider, and the models already used with each. */
export function editorOptions(providers: ProviderView[], chains: ChainList["chains"]) {
  const options: ProviderOption[] = providers.map((p) => ({
    id: p.id,
    name: p.name,
    enabled: p.enabled,
    embeddings: EMBEDDINGS_PROVIDER_TYPES.includes(p.type),
  }));
  const models = new Map<string, Set<string>>(
    providers.map((p) => [p.id, new Set(Object.keys(p.modelRateLimits ?? {}))]),
  );
  for (const e of chains.flatMap((c) => c.entries)) models.get(e.provider)?.add(e.model);
  const modelsByProvider = Object.fromEntries(
    [...models].map(([id, set]) => [id, [...set].sort()]),
  );
  return { providers: options, modelsByProvider };
}
