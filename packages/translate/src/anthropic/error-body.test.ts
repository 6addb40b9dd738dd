import { describe, expect, it } from "vitest";
import { anthropicErrorBody, anthropicErrorType } from "./error-body";

describe("anthropicErrorType", () => {
  it("follows Anthropic's status → error type table", () => {
    const table = Object.fromEntries(
      [400, 401, 402, 403, 404, 408, 413, 422, 429, 500, 502, 503, 504, 529].map((status) => [
        status,
        anthropicErrorType(status),
      ]),
    );
    expect(table).toEqual({
      400: "invalid_request_error",
      401: "authentication_error",
      402: "billing_error",
      403: "permission_error",
      404: "not_found_error",
      408: "timeout_error",
      413: "request_too_large",
      422: "invalid_request_error",
      429: "rate_limit_error",
      500: "api_error",
      502: "api_error",
      503: "overloaded_error",
      504: "timeout_error",
      529: "overloaded_error",
    });
  });
});

describe("anthropicErrorBody", () => {
  it("builds the envelope, with the request id when given", () => {
    expect(anthropicErrorBody(429, "Every entry is rate-limited.", "req_1")).toEqual({
      type: "error",
      error: { type: "rate_limit_error", message: "Every entry is rate-limited." },
      request_id: "req_1",
    });
    expect(anthropicErrorBody(400, "bad")).toEqual({
      type: "error",
      error: { type: "invalid_request_error", message: "bad" },
    });
  });
});
