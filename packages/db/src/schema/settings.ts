import type { Settings } from "@429chain/contracts";
import { sql } from "drizzle-orm";
import { boolean, check, jsonb, pgTable, timestamp } from "drizzle-orm/pg-core";

/** settings.apiKeys live in client_api_keys (hashed), never in this document. */
export type StoredSettings = Omit<Settings, "apiKeys">;

// Single-row tables: the boolean primary key constrained to true allows exactly one row.
export const settings = pgTable(
  "settings",
  {
    id: boolean("id").primaryKey().default(true),
    data: jsonb("data").$type<StoredSettings>().notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("settings_single_row", sql`${t.id}`)],
);
