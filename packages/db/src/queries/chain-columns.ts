import type { Chain } from "@429chain/contracts";

/** A validated chain's own columns (entries live in chain_entries). */
export function chainColumns(chain: Chain) {
  return {
    kind: chain.kind,
    dimensions: chain.dimensions ?? null,
    affinity: chain.affinity ?? null,
  };
}
