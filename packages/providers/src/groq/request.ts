import type { PreparedRequest, PrepareInput } from "../types";

/** No quirks: the body as the builder shaped it. */
export function prepareGroqRequest(input: PrepareInput): PreparedRequest {
  return { body: input.body, headers: {} };
}
