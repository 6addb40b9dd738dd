import { z } from "zod";

const ENTRY_STATUSES = [
  "available",
  "tracking",
  "cooling_down",
  "circuit_open",
  "auth_failed",
] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export const QuotaWindowStateSchema = z.object({
  /** "header:<name>" for upstream-reported windows, "manual:<limit>" for configured limits. */
  name: z.string(),
  source: z.enum(["header", "manual"]),
  scope: z.enum(["provider", "entry"]),
  unit: z.enum(["requests", "tokens"]),
  limit: z.number().nullable(),
  remaining: z.number(),
  resetAt: z.number().nullable(),
});
export type QuotaWindowState = z.infer<typeof QuotaWindowStateSchema>;

/** Recent use, as an exponentially weighted rate over the last few minutes. */
export const BurnRateSchema = z.object({
  requestsPerMinute: z.number(),
  tokensPerMinute: z.number(),
});
export type BurnRate = z.infer<typeof BurnRateSchema>;

/** Live state of one provider+model entry, as served by GET /v1/ratelimits. */
export const EntryStateSchema = z.object({
  provider: z.string(),
  model: z.string(),
  status: z.enum(ENTRY_STATUSES),
  cooldownUntil: z.number().nullable(),
  reason: z.string().nullable(),
  consecutiveFailures: z.number(),
  inFlight: z.number(),
  windows: z.array(QuotaWindowStateSchema),
  /** Recent use of the entry and of its provider account (every entry of the account). */
  burn: z.object({ entry: BurnRateSchema, provider: BurnRateSchema }).optional(),
});
export type EntryState = z.infer<typeof EntryStateSchema>;
