import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Request logs the database refused (anything but "unavailable"): parked here with the
 * reason by `processRequestLogBatch`, so the rest of their batch is stored and an operator
 * can see, fix and replay them. Never holds bind parameters, only the log as received.
 */
export const requestLogDeadLetters = pgTable(
  "request_log_dead_letters",
  {
    /** The log's request id (NUL removed, cut to 200 characters): a log is parked once. */
    requestId: text("request_id").primaryKey(),
    /** The log as JSON text (not jsonb: jsonb refuses the \u0000 escape a poison log may hold). */
    log: text("log").notNull(),
    /** The refusal's SQLSTATE (e.g. 54000), null when the error had none. */
    sqlState: text("sql_state"),
    /** The database's message, without the statement or its parameters. */
    error: text("error").notNull(),
    /** Who tried to store it: `worker:<host>` or `gateway:<replica>`. */
    source: text("source").notNull(),
    parkedAt: timestamp("parked_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("request_log_dead_letters_parked_at_idx").on(t.parkedAt)],
);
