import { z } from "zod";

/**
 * The closed set of error codes the gateway answers with, and the HTTP statuses each may go
 * with: the first is its status, any others are the only alternatives (GatewayError refuses
 * any other pair). An error inside a stream that has begun carries its code in an SSE frame;
 * its status is what the error stands for, the response having been sent as 200.
 */
export const ERROR_STATUSES = {
  invalid_api_key: [401],
  invalid_request: [400],
  invalid_json: [400],
  request_too_large: [413],
  model_not_found: [404],
  /** The API key may not use this chain (or direct entry). */
  chain_not_allowed: [403],
  not_found: [404],
  /**
   * No entry could serve; v1's code. 429: quota everywhere (with Retry-After); 503: circuits
   * open or cooling down, no enabled entry, or no provider has a key; 502: the entries failed.
   */
  all_providers_exhausted: [429, 503, 502],
  /** The API key's own requests-per-minute limit. */
  key_rate_limited: [429],
  /** The API key's daily or monthly token budget is used up. */
  key_budget_exceeded: [429],
  /** The API key's daily or monthly spend budget (USD) is used up. */
  key_spend_exceeded: [429],
  request_timeout: [504],
  shutting_down: [503],
  internal_error: [500],
  /** SSE only: the upstream's stream broke after the response had begun. */
  upstream_stream_error: [502],
} as const satisfies Record<string, readonly [number, ...number[]]>;
export type ErrorCode = keyof typeof ERROR_STATUSES;
/** The statuses `C` may be answered with. */
export type ErrorStatus<C extends ErrorCode> = (typeof ERROR_STATUSES)[C][number];

/** Each code's own status (the first of its statuses). */
export const ERROR_STATUS = Object.fromEntries(
  Object.entries(ERROR_STATUSES).map(([code, statuses]) => [code, statuses[0]]),
) as { [C in ErrorCode]: (typeof ERROR_STATUSES)[C][0] };

/** Whether the table allows answering `code` with `status`. */
export function isErrorStatus(code: ErrorCode, status: number): boolean {
  return (ERROR_STATUSES[code] as readonly number[]).includes(status);
}

const OPENAI_ERROR_TYPES = [
  "invalid_request_error",
  "authentication_error",
  "rate_limit_error",
  "api_error",
] as const;
type OpenAIErrorType = (typeof OPENAI_ERROR_TYPES)[number];

export function errorTypeFor(status: number): OpenAIErrorType {
  if (status === 401) return "authentication_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 500) return "api_error";
  return "invalid_request_error";
}

/** Attempt outcomes as recorded (RequestLogJob v1 uses the same names). */
export const ATTEMPT_OUTCOMES = [
  "ok",
  "rate_limited",
  "quota_exhausted",
  "skipped_cooldown",
  "skipped_quota",
  /** Not tried: the entry cannot serve what this request needs (an API feature it lacks). */
  "skipped_unsupported",
  /** Not tried: its provider's key is still the example's placeholder. */
  "skipped_no_key",
  /** Not tried: a paid entry whose chain's spend budget is used up (or cannot be checked). */
  "skipped_budget",
  "auth_failed",
  "upstream_error",
  "timeout",
  "client_error",
  /** Called; the entry refused this request for a reason of its own (not quota, not a fault). */
  "rejected",
  "cancelled",
] as const;

/** One upstream attempt or skipped entry, as listed in a failed response and in logs. */
export const AttemptSummarySchema = z.object({
  provider: z.string(),
  model: z.string(),
  outcome: z.enum(ATTEMPT_OUTCOMES),
  status: z.number().int().nullable(),
  reason: z.string(),
  latencyMs: z.number(),
  /** Epoch ms until which this attempt put (or found) the entry cooling down. */
  cooldownUntil: z.number().nullable(),
});
export type AttemptSummary = z.infer<typeof AttemptSummarySchema>;

/** The OpenAI error envelope, plus our request id and (for waterfall failures) every attempt. */
export const ErrorEnvelopeSchema = z.object({
  error: z.object({
    message: z.string(),
    type: z.enum(OPENAI_ERROR_TYPES),
    param: z.string().nullable(),
    code: z.enum(Object.keys(ERROR_STATUSES) as [ErrorCode, ...ErrorCode[]]),
    attempts: z.array(AttemptSummarySchema).optional(),
  }),
  request_id: z.string().optional(),
});
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;
