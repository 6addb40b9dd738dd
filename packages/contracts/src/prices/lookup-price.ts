import type { ProviderType } from "../config";
import { FREE_PRICE, type Price } from "./price";
import { PRICE_TABLE } from "./price-table";

/**
 * The bundled price of a model, or undefined when the table has none. Dated and suffixed ids
 * (`gpt-4o-mini-2024-07-18`, `claude-3-5-haiku-latest`) match their row by prefix; the longest
 * prefix wins, so `gpt-4o-mini` is not priced as `gpt-4o`. Gemini's `models/` prefix is ignored.
 */
export function lookupPrice(type: ProviderType, model: string): Price | undefined {
  if (type === "openrouter" && model.endsWith(":free")) return FREE_PRICE;
  const rows = PRICE_TABLE[type];
  if (!rows) return undefined;
  const id = (type === "google-ai" ? model.replace(/^models\//, "") : model).toLowerCase();
  let best: (typeof rows)[number] | undefined;
  for (const row of rows) {
    const [prefix] = row;
    if (id !== prefix && !(id.startsWith(prefix) && /[-@:.]/.test(id[prefix.length] ?? ""))) {
      continue;
    }
    if (!best || prefix.length > best[0].length) best = row;
  }
  if (!best) return undefined;
  const [, inputPerMTok, outputPerMTok, cachedInputPerMTok] = best;
  return {
    inputPerMTok,
    outputPerMTok,
    ...(cachedInputPerMTok !== undefined ? { cachedInputPerMTok } : {}),
  };
}
