import { type Chain, type ChainEntry, PROVIDER_TYPES, type ProviderConfig } from "../config";
import { lookupPrice } from "./lookup-price";
import { FREE_PRICE, type Price } from "./price";

/**
 * What one entry costs: its own `price`, else 0 on a provider marked `free`, else the bundled
 * table's row. Undefined: unknown (counted as spending nothing, and refused in a budgeted chain).
 */
export function entryPrice(
  provider: Pick<ProviderConfig, "type" | "free">,
  entry: Pick<ChainEntry, "model" | "price">,
): Price | undefined {
  if (entry.price) return entry.price;
  if (provider.free) return FREE_PRICE;
  return lookupPrice(provider.type, entry.model);
}

/**
 * A chain's reference price ("what this would have cost"): an explicit price, or a
 * `provider/model` naming a configured provider's model or, failing that, a provider type of
 * the bundled table (`openai/gpt-4o`). Undefined when it names nothing priced.
 */
export function referencePriceOf(
  ref: NonNullable<Chain["referencePrice"]>,
  providers: readonly Pick<ProviderConfig, "id" | "type" | "free">[],
): Price | undefined {
  if (typeof ref !== "string") return ref;
  const slash = ref.indexOf("/");
  if (slash <= 0) return undefined;
  const head = ref.slice(0, slash);
  const model = ref.slice(slash + 1);
  const provider = providers.find((p) => p.id === head);
  // A reference stands for paid use, so a free tier's provider is priced by its table row.
  if (provider) return lookupPrice(provider.type, model);
  const type = PROVIDER_TYPES.find((t) => t === head);
  return type ? lookupPrice(type, model) : undefined;
}
