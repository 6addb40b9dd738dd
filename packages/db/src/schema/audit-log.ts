import { bigint, index, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** before/after hold masked documents only: no secret ever reaches this table. */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    target: text("target").notNull(),
    /** The config version this change produced. */
    configVersion: bigint("config_version", { mode: "number" }),
    before: jsonb("before"),
    after: jsonb("after"),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at),
    index("audit_log_target_idx").on(t.target, t.at),
    index("audit_log_actor_idx").on(t.actor, t.at),
  ],
);
