import type { AnthropicErrorBody, AnthropicErrorType } from "./types";

/** The `error.type` Anthropic uses for an HTTP status (its SDKs pick their exception from it). */
export function anthropicErrorType(status: number): AnthropicErrorType {
  switch (status) {
    case 400:
      return "invalid_request_error";
    case 401:
      return "authentication_error";
    case 402:
      return "billing_error";
    case 403:
      return "permission_error";
    case 404:
      return "not_found_error";
    case 408:
    case 504:
      return "timeout_error";
    case 413:
      return "request_too_large";
    case 429:
      return "rate_limit_error";
    case 503:
    case 529:
      return "overloaded_error";
    default:
      return status >= 500 ? "api_error" : "invalid_request_error";
  }
}

/** Anthropic's error envelope, `{"type":"error","error":{type,message},"request_id":…}`. */
export function anthropicErrorBody(
  status: number,
  message: string,
  requestId?: string,
): AnthropicErrorBody {
  const body: AnthropicErrorBody = {
    type: "error",
    error: { type: anthropicErrorType(status), message },
  };
  if (requestId !== undefined) body.request_id = requestId;
  return body;
}
