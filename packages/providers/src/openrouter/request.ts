import type { PreparedRequest, PrepareInput } from "../types";

// App attribution headers v1 sends (openrouter.ai/docs/app-attribution).
const ATTRIBUTION = {
  "HTTP-Referer": "https://github.com/429chain/429chain",
  "X-Title": "429chain",
};

export function prepareOpenRouterRequest(input: PrepareInput): PreparedRequest {
  return { body: input.body, headers: { ...ATTRIBUTION } };
}
