import { sql } from "drizzle-orm";
import { bigint, boolean, check, pgTable, timestamp } from "drizzle-orm/pg-core";

export const configVersion = pgTable(
  "config_version",
  {
    id: boolean("id").primaryKey().default(true),
    version: bigint("version", { mode: "number" }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("config_version_single_row", sql`${t.id}`)],
);
