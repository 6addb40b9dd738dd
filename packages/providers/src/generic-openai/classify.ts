import type { AttemptOutcome } from "@429chain/contracts";
import { type ClassifyHooks, classifyWithHooks } from "../common/classify";
import {
  cloudflareDailyRule,
  geminiDailyRule,
  githubDailyRule,
  insufficientQuotaRule,
  lowCreditRule,
  openRouterDailyRule,
  perDayMessageRule,
  requestTooLargeRule,
  spendCapRule,
} from "../common/quota-rules";
import type { UpstreamResponse } from "../types";
import { parseGenericOpenAiRateLimitHeaders } from "./headers";

export const genericOpenAiClassifyHooks: ClassifyHooks = {
  headerScope: "entry",
  parseRateLimitHeaders: parseGenericOpenAiRateLimitHeaders,
  // The base URL can point at any OpenAI-compatible upstream (Anthropic, Cloudflare, GitHub
  // Models, DeepSeek, xAI…); every rule fires only on its own provider's marker.
  rules: [
    requestTooLargeRule,
    insufficientQuotaRule,
    spendCapRule,
    lowCreditRule,
    cloudflareDailyRule,
    githubDailyRule,
    geminiDailyRule,
    openRouterDailyRule,
    perDayMessageRule,
  ],
};

export function classifyGenericOpenAiResponse(res: UpstreamResponse): AttemptOutcome {
  return classifyWithHooks(res, genericOpenAiClassifyHooks);
}
