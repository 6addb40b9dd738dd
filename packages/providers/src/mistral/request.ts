import type { PreparedRequest, PrepareInput } from "../types";

export function prepareMistralRequest(input: PrepareInput): PreparedRequest {
  const body = { ...input.body };
  // Mistral rejects `stream_options` with 422 "extra_forbidden" (BerriAI/litellm#8978) and
  // reports usage in the final stream chunk without being asked.
  delete body.stream_options;
  return { body, headers: {} };
}
