import { costMicros, type TokenUsage } from "@429chain/contracts";
import { type CompiledChain, type CompiledEntry, priceIn } from "../config/snapshot";

export interface RequestCost {
  /** Micro-dollars at the serving entry's price; null when its price is unknown. */
  costMicros: number | null;
  /** The same tokens at the chain's reference price minus costMicros; null without one. */
  savedMicros: number | null;
}

export const NO_COST: RequestCost = { costMicros: null, savedMicros: null };

/** What a served request cost, and saved against its chain's reference price. */
export function requestCost(
  chain: CompiledChain,
  entry: CompiledEntry,
  usage: TokenUsage,
): RequestCost {
  const price = priceIn(chain, entry);
  const cost = price ? costMicros(price, usage) : null;
  const reference = chain.referencePrice;
  return {
    costMicros: cost,
    savedMicros: reference && cost !== null ? costMicros(reference, usage) - cost : null,
  };
}
