import type { AttemptOutcome } from "@429chain/contracts";
import { type ClassifyHooks, type ClassifyRule, classifyWithHooks } from "../common/classify";
import { nextMidnightInZone } from "../common/midnight";
import { geminiDailyRule } from "../common/quota-rules";
import type { UpstreamResponse } from "../types";
import { parseGoogleAiRateLimitHeaders } from "./headers";

/**
 * Gemini answers a bad key with 400 INVALID_ARGUMENT "API key not valid" (reason
 * API_KEY_INVALID): the key is at fault, not the client's request.
 */
const invalidKeyRule: ClassifyRule = (ctx) => {
  if (ctx.res.status !== 400 || !/API key not valid|API_KEY_INVALID/i.test(ctx.res.body)) return;
  return { kind: "auth_failed", scope: "provider", status: 400, reason: "400 API key not valid" };
};

export const googleAiClassifyHooks: ClassifyHooks = {
  // Gemini limits are per project and per model.
  headerScope: "entry",
  parseRateLimitHeaders: parseGoogleAiRateLimitHeaders,
  rules: [geminiDailyRule, invalidKeyRule],
  // Gemini daily quotas reset at midnight Pacific time (ai.google.dev/gemini-api/docs/rate-limits).
  nextDailyReset: (now) => nextMidnightInZone(now, "America/Los_Angeles"),
};

export function classifyGoogleAiResponse(res: UpstreamResponse): AttemptOutcome {
  return classifyWithHooks(res, googleAiClassifyHooks);
}
