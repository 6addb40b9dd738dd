import { anthropicFrame, anthropicStartFrame } from "./anthropic-stream";
import type { FakeResponse } from "./types";

// Anthropic error answers (docs.anthropic.com/en/api/errors, /rate-limits); the wording
// follows real answers quoted in public bug reports, ids are made up.

export function anthropicErrorBody(type: string, message: string) {
  return { type: "error", error: { type, message }, request_id: "req_fake0001" };
}

interface AnthropicRateLimitOptions {
  /** Integer seconds, as Anthropic sends them; defaults to the time until `resetAt`. */
  retryAfterS?: number;
  /** Epoch ms when the exhausted request window refills (an RFC 3339 header); now + 60 s. */
  resetAt?: number;
}

/** A 429 with every anthropic-ratelimit-* window: requests used up, tokens left. */
export function anthropicRateLimited(options: AnthropicRateLimitOptions = {}): FakeResponse {
  const resetAt = options.resetAt ?? Date.now() + 60_000;
  const retryAfterS = options.retryAfterS ?? Math.max(0, Math.ceil((resetAt - Date.now()) / 1000));
  const reset = new Date(resetAt).toISOString().replace(/\.\d{3}Z$/, "Z");
  const window = (name: string, limit: number, remaining: number) => ({
    [`anthropic-ratelimit-${name}-limit`]: String(limit),
    [`anthropic-ratelimit-${name}-remaining`]: String(remaining),
    [`anthropic-ratelimit-${name}-reset`]: reset,
  });
  return {
    status: 429,
    headers: {
      "retry-after": String(retryAfterS),
      "request-id": "req_fake0001",
      ...window("requests", 50, 0),
      ...window("tokens", 90_000, 88_000),
      ...window("input-tokens", 80_000, 79_000),
      ...window("output-tokens", 10_000, 9_000),
    },
    body: anthropicErrorBody(
      "rate_limit_error",
      "This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.",
    ),
  };
}

/** 529: the API is over capacity for everyone; not this account's quota. */
export function anthropicOverloaded(): FakeResponse {
  return { status: 529, body: anthropicErrorBody("overloaded_error", "Overloaded") };
}

/** The organization's prepaid credit is used up: a 400, for every model and key. */
export function anthropicLowCredit(): FakeResponse {
  return {
    status: 400,
    body: anthropicErrorBody(
      "invalid_request_error",
      "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.",
    ),
  };
}

/** An `event: error` frame, as Anthropic sends after HTTP 200. */
export function anthropicErrorFrame(type = "overloaded_error", message = "Overloaded"): string {
  return anthropicFrame({ type: "error", error: { type, message } });
}

interface AnthropicStreamErrorOptions {
  /** Text deltas sent before the error; none: the error comes before any content. */
  texts?: string[];
  errorType?: string;
  message?: string;
}

/** A stream that starts, sends `texts`, then an `event: error` frame and no message_stop. */
export function anthropicStreamError(
  model: string,
  options: AnthropicStreamErrorOptions = {},
): FakeResponse {
  const texts = options.texts ?? ["Hello"];
  const frames = [anthropicStartFrame(model, { input_tokens: 10, output_tokens: 1 })];
  if (texts.length > 0) {
    const start = { type: "text", text: "" };
    frames.push(anthropicFrame({ type: "content_block_start", index: 0, content_block: start }));
    for (const text of texts) {
      const delta = { type: "text_delta", text };
      frames.push(anthropicFrame({ type: "content_block_delta", index: 0, delta }));
    }
  }
  frames.push(anthropicErrorFrame(options.errorType, options.message));
  return { status: 200, stream: { frames } };
}
