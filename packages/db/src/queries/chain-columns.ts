import type { Chain } from "@429chain/contracts";

/** A validated chain's own columns (entries live in chain_entries). */
export function chainColumns(chain: Chain) {
  return {
    kind: chain.kind,
    dimensions: chain.dimensions ?? null,
    affinity: chain.affinity ?? null,
    budget: chain.budget ?? null,
    referencePrice: chain.referencePrice ?? null,
  };
}

/** A validated chain's entry rows, in waterfall order. */
export function chainEntryRows(chain: Chain) {
  return chain.entries.map((e, position) => ({
    chainName: chain.name,
    position,
    providerId: e.provider,
    model: e.model,
    enabled: e.enabled,
    price: e.price ?? null,
  }));
}
