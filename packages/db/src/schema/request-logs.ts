import {
  bigint,
  boolean,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

/** One row per request served by a gateway; written only by `processRequestLogBatch`. */
export const requestLogs = pgTable(
  "request_logs",
  {
    requestId: text("request_id").primaryKey(),
    at: timestamp("at", { withTimezone: true }).notNull(),
    apiKeyId: text("api_key_id"),
    chain: text("chain").notNull(),
    provider: text("provider"),
    model: text("model"),
    stream: boolean("stream").notNull(),
    outcome: text("outcome").notNull(),
    httpStatus: integer("http_status").notNull(),
    errorCode: text("error_code"),
    promptTokens: integer("prompt_tokens").notNull(),
    completionTokens: integer("completion_tokens").notNull(),
    tokensEstimated: boolean("tokens_estimated").notNull(),
    latencyMs: integer("latency_ms").notNull(),
    ttfbMs: integer("ttfb_ms"),
    replica: text("replica").notNull(),
  },
  (t) => [
    // Keyset pagination and retention both walk (at, request_id).
    index("request_logs_at_idx").on(t.at, t.requestId),
    index("request_logs_chain_at_idx").on(t.chain, t.at),
    index("request_logs_provider_at_idx").on(t.provider, t.at),
    index("request_logs_api_key_at_idx").on(t.apiKeyId, t.at),
    index("request_logs_outcome_at_idx").on(t.outcome, t.at),
  ],
);

/** Every upstream attempt (or skipped entry) of a logged request, in waterfall order. */
export const requestAttempts = pgTable(
  "request_attempts",
  {
    requestId: text("request_id")
      .notNull()
      .references(() => requestLogs.requestId, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    provider: text("provider").notNull(),
    model: text("model").notNull(),
    outcome: text("outcome").notNull(),
    status: integer("status"),
    latencyMs: integer("latency_ms").notNull(),
    cooldownUntil: bigint("cooldown_until", { mode: "number" }),
  },
  // Per-entry counts come from entry_rollups, so attempts need no index of their own.
  (t) => [primaryKey({ columns: [t.requestId, t.position] })],
);
