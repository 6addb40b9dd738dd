import { z } from "zod";
import { ATTEMPT_OUTCOMES } from "./errors";

/**
 * Bounds of what the database columns hold, so a log Postgres would refuse (an integer
 * overflow, a time no Date can hold) is invalid on its own at parse time instead of failing
 * the whole batch it was merged into.
 */
const int32 = () => z.number().int().min(0).max(2_147_483_647);
const epochMs = () => z.number().int().min(0).max(8_640_000_000_000_000);

/** One upstream attempt or skipped entry of a request, as logged. No prompt or completion. */
export const RequestLogAttemptSchema = z.object({
  provider: z.string().min(1),
  model: z.string().min(1),
  outcome: z.enum(ATTEMPT_OUTCOMES),
  status: int32().nullable(),
  latencyMs: int32(),
  /** Epoch ms until which this attempt put (or found) the entry cooling down. */
  cooldownUntil: epochMs().nullable(),
});
export type RequestLogAttempt = z.infer<typeof RequestLogAttemptSchema>;

export const REQUEST_OUTCOMES = [
  "ok",
  "client_error",
  "exhausted",
  "failed",
  "timeout",
  "cancelled",
  "rejected",
] as const;

/**
 * RequestLogJob v1: the contract between the gateway (producer) and the worker. One job per
 * request, every attempt included; the request id is the idempotency key.
 */
export const RequestLogJobSchema = z.object({
  v: z.literal(1),
  requestId: z.string().min(1).max(128),
  /** Epoch ms when the request arrived. */
  at: epochMs(),
  apiKeyId: z.string().nullable(),
  /** Chain name, or `provider/model` for a direct request. */
  chain: z.string(),
  /** `provider` and `model` that served (or last tried), null when nothing was tried. */
  provider: z.string().nullable(),
  model: z.string().nullable(),
  stream: z.boolean(),
  outcome: z.enum(REQUEST_OUTCOMES),
  httpStatus: int32(),
  errorCode: z.string().nullable(),
  promptTokens: int32(),
  completionTokens: int32(),
  tokensEstimated: z.boolean(),
  latencyMs: int32(),
  /** Time to first byte written to the client; null when nothing was written. */
  ttfbMs: int32().nullable(),
  replica: z.string(),
  attempts: z.array(RequestLogAttemptSchema),
});
export type RequestLogJob = z.infer<typeof RequestLogJobSchema>;

/**
 * The queue's job payload: one BullMQ job carries a whole producer batch, because one job per
 * request doubled the gateway's CPU per request. Each log inside is validated on its own by
 * the worker, so one bad log never holds back the others.
 */
export const RequestLogBatchSchema = z.object({
  v: z.literal(1),
  logs: z.array(z.unknown()).min(1),
});
export type RequestLogBatch = { v: 1; logs: RequestLogJob[] };
