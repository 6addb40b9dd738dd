import type { UpstreamOperation, UpstreamRequestInput } from "../types";

/**
 * The upstream body shared by every provider: a shallow copy of the caller's body with the
 * entry's model. Chat and messages carry `stream`; token counting and embeddings never stream
 * (Anthropic's count_tokens rejects unknown fields), so they carry neither `stream` nor
 * `stream_options`. A streaming chat upstream that accepts it gets
 * `stream_options.include_usage` so usage can be recorded (v1 did the same); other
 * stream_options are kept. Non-streaming chat requests never carry stream_options.
 */
export function buildBody(
  op: UpstreamOperation,
  input: UpstreamRequestInput,
  streamUsage: boolean,
): Record<string, unknown> {
  const body: Record<string, unknown> = { ...input.body, model: input.model };
  if (op === "countTokens" || op === "embeddings") {
    delete body.stream;
    delete body.stream_options;
    return body;
  }
  body.stream = input.stream;
  if (op === "messages") return body;
  const clientOptions = input.body.stream_options;
  if (!input.stream) {
    delete body.stream_options;
  } else if (streamUsage) {
    const options =
      typeof clientOptions === "object" && clientOptions !== null ? clientOptions : {};
    body.stream_options = { ...options, include_usage: true };
  } else if (clientOptions === null) {
    delete body.stream_options;
  }
  return body;
}
