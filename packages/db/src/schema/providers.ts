import type { RateLimits } from "@429chain/contracts";
import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

export interface ProviderTimeoutsJson {
  connectMs?: number;
  firstByteMs?: number;
  idleMs?: number;
}

export const providers = pgTable(
  "providers",
  {
    id: text("id").primaryKey(),
    // Export reproduces the order of the file the providers came from.
    position: integer("position").notNull(),
    name: text("name").notNull(),
    type: text("type").notNull(),
    baseUrl: text("base_url"),
    // Only ever ciphertext (see secrets/encrypt-secret.ts); the key id is repeated in its own
    // column so rotation and "which rows still use key X" are plain indexed queries.
    apiKeyCiphertext: text("api_key_ciphertext").notNull(),
    apiKeyKeyId: text("api_key_key_id").notNull(),
    // Extra headers that carry no credential. Those whose names say they do
    // (secrets/credential-headers.ts) are in secretHeaders: name → ciphertext, each encrypted
    // like the key, all under secretHeadersKeyId. Names stay readable so an export without the
    // master key can still list them. Rows written before that split may hold credential
    // headers in `headers`: they load as they are until the provider is next saved or imported,
    // or `secrets rotate` moves them.
    headers: jsonb("headers").$type<Record<string, string>>(),
    secretHeaders: jsonb("secret_headers").$type<Record<string, string>>(),
    secretHeadersKeyId: text("secret_headers_key_id"),
    timeouts: jsonb("timeouts").$type<ProviderTimeoutsJson>(),
    timeoutMs: integer("timeout_ms"),
    rateLimits: jsonb("rate_limits").$type<RateLimits>(),
    modelRateLimits: jsonb("model_rate_limits").$type<Record<string, RateLimits>>(),
    enabled: boolean("enabled").notNull().default(true),
    /** A free tier: its entries are priced 0 unless they set their own price. */
    free: boolean("free").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("providers_position_idx").on(t.position),
    index("providers_api_key_key_id_idx").on(t.apiKeyKeyId),
    check("providers_timeout_ms_check", sql`${t.timeoutMs} IS NULL OR ${t.timeoutMs} >= 1000`),
    check(
      "providers_secret_headers_key_id_check",
      sql`(${t.secretHeaders} IS NULL) = (${t.secretHeadersKeyId} IS NULL)`,
    ),
  ],
);
