import type { TokenUsage } from "@429chain/contracts";
import type { StreamUsage } from "../types";

/**
 * Folds one stream event's (possibly partial) usage into what the stream reported so far.
 * A reported field replaces the earlier value (Anthropic's `message_delta` counts are
 * cumulative); a missing one keeps it. The total is the reported one only when the event
 * reported all three, else prompt + completion.
 */
export function mergeStreamUsage(previous: TokenUsage | undefined, usage: StreamUsage): TokenUsage {
  const promptTokens = usage.promptTokens ?? previous?.promptTokens ?? 0;
  const completionTokens = usage.completionTokens ?? previous?.completionTokens ?? 0;
  const reportedTotal =
    usage.promptTokens !== undefined && usage.completionTokens !== undefined
      ? usage.totalTokens
      : undefined;
  const cachedTokens = usage.cachedTokens ?? previous?.cachedTokens;
  return {
    promptTokens,
    completionTokens,
    totalTokens: reportedTotal ?? promptTokens + completionTokens,
    ...(cachedTokens !== undefined ? { cachedTokens } : {}),
    estimated: false,
  };
}
