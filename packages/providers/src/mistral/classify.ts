import type { AttemptOutcome } from "@429chain/contracts";
import { type ClassifyHooks, classifyWithHooks } from "../common/classify";
import type { UpstreamResponse } from "../types";
import { parseMistralRateLimitHeaders } from "./headers";

export const mistralClassifyHooks: ClassifyHooks = {
  // Mistral limits are per workspace and per model.
  headerScope: "entry",
  parseRateLimitHeaders: parseMistralRateLimitHeaders,
  // Mistral's errors are plain status codes with a top-level `{object: "error", message}`
  // body; the shared mapping covers them.
  rules: [],
};

export function classifyMistralResponse(res: UpstreamResponse): AttemptOutcome {
  return classifyWithHooks(res, mistralClassifyHooks);
}
