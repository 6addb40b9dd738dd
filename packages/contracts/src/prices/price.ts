import { z } from "zod";

/** USD per million tokens. Cached input (a prompt-cache hit) is priced apart when known. */
export const PriceSchema = z.object({
  inputPerMTok: z.number().min(0).max(10_000),
  outputPerMTok: z.number().min(0).max(10_000),
  cachedInputPerMTok: z.number().min(0).max(10_000).optional(),
});
export type Price = z.infer<typeof PriceSchema>;

export const FREE_PRICE: Price = { inputPerMTok: 0, outputPerMTok: 0, cachedInputPerMTok: 0 };

export function isFreePrice(price: Price): boolean {
  return price.inputPerMTok === 0 && price.outputPerMTok === 0;
}

/** Tokens of one request as priced: cached prompt tokens are part of `promptTokens`. */
export interface PricedUsage {
  promptTokens: number;
  completionTokens: number;
  cachedTokens?: number;
}

/**
 * Cost in micro-dollars (integer; 1 USD = 1,000,000), rounded up so a budget counted in these
 * units never undercounts what was spent.
 */
export function costMicros(price: Price, usage: PricedUsage): number {
  const cached = Math.min(Math.max(0, usage.cachedTokens ?? 0), usage.promptTokens);
  const cachedRate = price.cachedInputPerMTok ?? price.inputPerMTok;
  // Per-million prices times tokens: the product is already in micro-dollars.
  const micros =
    (usage.promptTokens - cached) * price.inputPerMTok +
    cached * cachedRate +
    usage.completionTokens * price.outputPerMTok;
  return Math.max(0, Math.ceil(micros - 1e-9));
}

/** Whole USD (a config's budget) as micro-dollars. */
export function usdToMicros(usd: number): number {
  return Math.round(usd * 1_000_000);
}
