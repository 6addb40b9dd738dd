import { type RequestCost, requestCostOf } from "@429chain/testing";
import { COMPLETION_TOKENS } from "./freeday-providers";
import type { ScheduledRequest } from "./freeday-schedule";

const FILLER = "The quick brown fox jumps over the lazy dog while the gateway counts tokens. ";

function filler(chars: number): string {
  return FILLER.repeat(Math.ceil(chars / FILLER.length)).slice(0, chars);
}

/** The chat body a scheduled request sends (model = the chain's name). */
export function requestBody(item: ScheduledRequest, model: string): Record<string, unknown> {
  return {
    model,
    messages: [{ role: "user", content: filler(item.promptChars) }],
    max_tokens: item.maxTokens,
    ...(item.stream ? { stream: true, stream_options: { include_usage: true } } : {}),
  };
}

/** What the request costs every fake provider (the gateway forwards the messages as they are). */
export function scheduledCost(item: ScheduledRequest): RequestCost {
  return requestCostOf(requestBody(item, "any"), COMPLETION_TOKENS);
}
