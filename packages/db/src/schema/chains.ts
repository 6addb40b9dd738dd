import type { Chain, Price, SpendBudget } from "@429chain/contracts";
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { providers } from "./providers";

export const chains = pgTable(
  "chains",
  {
    name: text("name").primaryKey(),
    position: integer("position").notNull(),
    kind: text("kind").$type<Chain["kind"]>().notNull().default("chat"),
    /** Embeddings chains only: the vector length every entry must answer with. */
    dimensions: integer("dimensions"),
    /** Chat chains only: `conversation` keeps a conversation on the entry that served it. */
    affinity: text("affinity").$type<NonNullable<Chain["affinity"]>>(),
    /** Spend limit of the chain's paid entries, as in the config: {dailyUsd?, monthlyUsd?}. */
    budget: jsonb("budget").$type<SpendBudget>(),
    /** "provider/model" or a price, as in the config. */
    referencePrice: jsonb("reference_price").$type<NonNullable<Chain["referencePrice"]>>(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("chains_position_idx").on(t.position),
    check("chains_kind_check", sql`${t.kind} IN ('chat', 'embeddings')`),
    check(
      "chains_dimensions_check",
      sql`${t.dimensions} IS NULL OR (${t.kind} = 'embeddings' AND ${t.dimensions} > 0)`,
    ),
    check(
      "chains_affinity_check",
      sql`${t.affinity} IS NULL OR (${t.kind} = 'chat' AND ${t.affinity} = 'conversation')`,
    ),
  ],
);

export const chainEntries = pgTable(
  "chain_entries",
  {
    chainName: text("chain_name")
      .notNull()
      .references(() => chains.name, { onDelete: "cascade", onUpdate: "cascade" }),
    position: integer("position").notNull(),
    // RESTRICT: a provider still used by a chain cannot disappear underneath it.
    providerId: text("provider_id")
      .notNull()
      .references(() => providers.id, { onDelete: "restrict", onUpdate: "cascade" }),
    model: text("model").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    /** Overrides the bundled price table for this entry. */
    price: jsonb("price").$type<Price>(),
    // Reserved for per-entry overrides; the config contract has no field for them yet.
    overrides: jsonb("overrides").$type<Record<string, unknown>>(),
  },
  (t) => [
    primaryKey({ name: "chain_entries_pkey", columns: [t.chainName, t.position] }),
    index("chain_entries_provider_id_idx").on(t.providerId),
    check("chain_entries_position_check", sql`${t.position} >= 0`),
  ],
);
