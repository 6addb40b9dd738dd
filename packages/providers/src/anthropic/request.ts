import type { PreparedRequest, PrepareInput } from "../types";

// docs.anthropic.com/en/api/versioning: the only version of the Messages API. A client's own
// `anthropic-version` is forwarded and wins.
const ANTHROPIC_VERSION = "2023-06-01";

// count_tokens takes the prompt (model, messages, system, tools, tool_choice, thinking…) and
// rejects generation settings, which a Messages body turned into a count request carries.
const NOT_COUNTED = [
  "max_tokens",
  "stream",
  "temperature",
  "top_p",
  "top_k",
  "stop_sequences",
  "metadata",
  "service_tier",
];

export function anthropicAuthHeaders(apiKey: string): Record<string, string> {
  return { "x-api-key": apiKey };
}

export function prepareAnthropicRequest(input: PrepareInput): PreparedRequest {
  const body = { ...input.body };
  if (input.op === "countTokens") for (const key of NOT_COUNTED) delete body[key];
  return { body, headers: { "anthropic-version": ANTHROPIC_VERSION } };
}
