import type { PreparedRequest, PrepareInput } from "../types";

// Cerebras rejects these OpenAI parameters (v1 drops them too).
const UNSUPPORTED = ["presence_penalty", "frequency_penalty"];

export function prepareCerebrasRequest(input: PrepareInput): PreparedRequest {
  const body = { ...input.body };
  for (const key of UNSUPPORTED) delete body[key];
  return { body, headers: {} };
}
