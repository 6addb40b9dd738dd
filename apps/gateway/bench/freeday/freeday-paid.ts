import { costMicros, type Price } from "@429chain/contracts";
import { completion, type FakeResponder, requestCostOf, streamed } from "@429chain/testing";
import type { JudgedProvider } from "./freeday-judge";
import { COMPLETION_TOKENS } from "./freeday-providers";

/** The budget scope of the freeday chain, as the gateway names it. */
export const FREEDAY_CHAIN_SCOPE = "chain:free-day";

/** The paid entry at the end of the 'paid within budget' variant's chain. */
export const FREEDAY_PAID = {
  id: "paid",
  type: "openai",
  model: "gpt-4.1",
  path: "/paid",
  // The bundled table's gpt-4.1 row (USD per million tokens), repeated so the figure below
  // is computed independently of the gateway's own lookup.
  price: { inputPerMTok: 2, outputPerMTok: 8 } satisfies Price,
  /** Small enough that the day's burst spends it. */
  dailyUsd: 0.05,
} as const;

interface PaidCall {
  at: number;
  promptTokens: number;
  completionTokens: number;
  maxTokens: number;
}

export interface PaidFigures {
  budgetMicros: number;
  /** What the gateways counted against the chain's budget (Redis), at the end of the day. */
  spentMicros: number;
  /** The paid fake's own answers priced at the same price: what the provider would bill. */
  billedMicros: number;
  calls: number;
  /** Paid calls made while a free provider would have served that request. */
  callsWithFreeQuota: number;
}

/** A paid upstream without limits: answers every request, records what it would bill. */
export function createPaidFake(latencyMs: number) {
  const calls: PaidCall[] = [];
  const respond: FakeResponder = (req) => {
    const cost = requestCostOf(req.body, COMPLETION_TOKENS);
    calls.push({ at: Date.now(), ...cost });
    const text = "paid ".repeat(cost.completionTokens).trim();
    const usage = {
      prompt_tokens: cost.promptTokens,
      completion_tokens: cost.completionTokens,
      total_tokens: cost.promptTokens + cost.completionTokens,
    };
    const body = req.body as { stream?: unknown } | undefined;
    const answer =
      body?.stream === true
        ? streamed(FREEDAY_PAID.model, [text], { usage })
        : completion(FREEDAY_PAID.model, text, usage);
    return { ...answer, delayMs: latencyMs };
  };
  return {
    respond,
    figures(
      free: readonly JudgedProvider[],
      spentMicros: number,
      toleranceMs: number,
    ): PaidFigures {
      const withFreeQuota = calls.filter((c) =>
        free.some(({ sim }) => sim.wouldServe(c, c.at) && sim.wouldServe(c, c.at + toleranceMs)),
      );
      return {
        budgetMicros: Math.round(FREEDAY_PAID.dailyUsd * 1_000_000),
        spentMicros,
        billedMicros: calls.reduce((sum, c) => sum + costMicros(FREEDAY_PAID.price, c), 0),
        calls: calls.length,
        callsWithFreeQuota: withFreeQuota.length,
      };
    },
  };
}
