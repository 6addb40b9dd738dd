import { buildBody } from "../common/build-body";
import { mergeHeaders } from "../common/merge-headers";
import type { PreparedRequest, PrepareInput } from "../types";

// Cerebras rejects these OpenAI parameters (v1 drops them too).
const UNSUPPORTED = ["presence_penalty", "frequency_penalty"];

export function prepareCerebrasRequest(input: PrepareInput): PreparedRequest {
  const body = buildBody(input, true);
  for (const key of UNSUPPORTED) delete body[key];
  return { body, headers: mergeHeaders({}, input.provider.headers) };
}
