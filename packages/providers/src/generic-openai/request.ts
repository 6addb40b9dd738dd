import type { PreparedRequest, PrepareInput } from "../types";

/** No quirks: the body as the builder shaped it. */
export function prepareGenericOpenAiRequest(input: PrepareInput): PreparedRequest {
  return { body: input.body, headers: {} };
}
