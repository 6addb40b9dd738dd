import type { PrepareInput } from "../types";

/**
 * The upstream body shared by every provider: a shallow copy of the client request with the
 * entry's model and `stream`. Streaming upstreams that accept it get
 * `stream_options.include_usage` so usage can be recorded (v1 did the same); other
 * stream_options are kept. Non-streaming requests never carry stream_options.
 */
export function buildBody(input: PrepareInput, streamUsage: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = { ...input.request, model: input.model };
  body.stream = input.stream;
  const clientOptions = input.request.stream_options;
  if (!input.stream) {
    delete body.stream_options;
  } else if (streamUsage) {
    body.stream_options = { ...(clientOptions ?? {}), include_usage: true };
  } else if (clientOptions === null) {
    delete body.stream_options;
  }
  return body;
}
