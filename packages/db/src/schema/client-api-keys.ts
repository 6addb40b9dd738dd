import { sql } from "drizzle-orm";
import {
  bigint,
  check,
  index,
  integer,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const CLIENT_KEY_SOURCES = ["issued", "config"] as const;
export type ClientKeySource = (typeof CLIENT_KEY_SOURCES)[number];

export const clientApiKeys = pgTable(
  "client_api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    keyHash: text("key_hash").notNull(),
    displayPrefix: text("display_prefix").notNull(),
    /** `issued`: generated here, shown once. `config`: a v1 file's settings.apiKeys entry. */
    source: text("source").$type<ClientKeySource>().notNull().default("issued"),
    // Keys from a v1 file are also kept encrypted so `config export --with-secrets` can give
    // them back; issued keys are never recoverable, so these stay null for them.
    secretCiphertext: text("secret_ciphertext"),
    secretKeyId: text("secret_key_id"),
    /** Index in settings.apiKeys, so an export lists config keys in their file order. */
    configPosition: integer("config_position"),
    /** null: every chain. */
    allowedChains: text("allowed_chains").array(),
    rpm: integer("rpm"),
    dailyTokens: bigint("daily_tokens", { mode: "number" }),
    monthlyTokens: bigint("monthly_tokens", { mode: "number" }),
    /** Spend budgets in micro-dollars (USD × 1e6) per UTC day and calendar month. */
    dailySpendMicros: bigint("daily_spend_micros", { mode: "number" }),
    monthlySpendMicros: bigint("monthly_spend_micros", { mode: "number" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("client_api_keys_key_hash_idx").on(t.keyHash),
    index("client_api_keys_display_prefix_idx").on(t.displayPrefix),
    index("client_api_keys_secret_key_id_idx").on(t.secretKeyId),
    check("client_api_keys_source_check", sql`${t.source} IN ('issued', 'config')`),
    check("client_api_keys_key_hash_check", sql`${t.keyHash} ~ '^[0-9a-f]{64}$'`),
    check(
      "client_api_keys_config_secret_check",
      sql`(${t.source} = 'config') = (${t.secretCiphertext} IS NOT NULL AND ${t.secretKeyId} IS NOT NULL AND ${t.configPosition} IS NOT NULL)`,
    ),
    check("client_api_keys_rpm_check", sql`${t.rpm} IS NULL OR ${t.rpm} > 0`),
  ],
);
