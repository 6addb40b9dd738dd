import { buildBody } from "../common/build-body";
import { mergeHeaders } from "../common/merge-headers";
import type { PreparedRequest, PrepareInput } from "../types";

export function prepareOpenAiRequest(input: PrepareInput): PreparedRequest {
  return { body: buildBody(input, true), headers: mergeHeaders({}, input.provider.headers) };
}
