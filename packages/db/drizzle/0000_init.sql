CREATE TABLE "admin_users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text NOT NULL,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "admin_users_role_check" CHECK ("admin_users"."role" IN ('admin', 'viewer')),
	CONSTRAINT "admin_users_email_lower_check" CHECK ("admin_users"."email" = lower("admin_users"."email"))
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target" text NOT NULL,
	"config_version" bigint,
	"before" jsonb,
	"after" jsonb
);
--> statement-breakpoint
CREATE TABLE "chain_entries" (
	"chain_name" text NOT NULL,
	"position" integer NOT NULL,
	"provider_id" text NOT NULL,
	"model" text NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"overrides" jsonb,
	CONSTRAINT "chain_entries_pkey" PRIMARY KEY("chain_name","position"),
	CONSTRAINT "chain_entries_position_check" CHECK ("chain_entries"."position" >= 0)
);
--> statement-breakpoint
CREATE TABLE "chains" (
	"name" text PRIMARY KEY NOT NULL,
	"position" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "client_api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"key_hash" text NOT NULL,
	"display_prefix" text NOT NULL,
	"source" text DEFAULT 'issued' NOT NULL,
	"secret_ciphertext" text,
	"secret_key_id" text,
	"config_position" integer,
	"allowed_chains" text[],
	"rpm" integer,
	"daily_tokens" bigint,
	"monthly_tokens" bigint,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "client_api_keys_source_check" CHECK ("client_api_keys"."source" IN ('issued', 'config')),
	CONSTRAINT "client_api_keys_key_hash_check" CHECK ("client_api_keys"."key_hash" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "client_api_keys_config_secret_check" CHECK (("client_api_keys"."source" = 'config') = ("client_api_keys"."secret_ciphertext" IS NOT NULL AND "client_api_keys"."secret_key_id" IS NOT NULL AND "client_api_keys"."config_position" IS NOT NULL)),
	CONSTRAINT "client_api_keys_rpm_check" CHECK ("client_api_keys"."rpm" IS NULL OR "client_api_keys"."rpm" > 0)
);
--> statement-breakpoint
CREATE TABLE "config_version" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"version" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "config_version_single_row" CHECK ("config_version"."id")
);
--> statement-breakpoint
CREATE TABLE "providers" (
	"id" text PRIMARY KEY NOT NULL,
	"position" integer NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"base_url" text,
	"api_key_ciphertext" text NOT NULL,
	"api_key_key_id" text NOT NULL,
	"headers" jsonb,
	"timeouts" jsonb,
	"timeout_ms" integer,
	"rate_limits" jsonb,
	"model_rate_limits" jsonb,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "providers_timeout_ms_check" CHECK ("providers"."timeout_ms" IS NULL OR "providers"."timeout_ms" >= 1000)
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"id" boolean PRIMARY KEY DEFAULT true NOT NULL,
	"data" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "settings_single_row" CHECK ("settings"."id")
);
--> statement-breakpoint
ALTER TABLE "chain_entries" ADD CONSTRAINT "chain_entries_chain_name_chains_name_fk" FOREIGN KEY ("chain_name") REFERENCES "public"."chains"("name") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "chain_entries" ADD CONSTRAINT "chain_entries_provider_id_providers_id_fk" FOREIGN KEY ("provider_id") REFERENCES "public"."providers"("id") ON DELETE restrict ON UPDATE cascade;--> statement-breakpoint
CREATE UNIQUE INDEX "admin_users_email_idx" ON "admin_users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_target_idx" ON "audit_log" USING btree ("target","at");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor","at");--> statement-breakpoint
CREATE INDEX "chain_entries_provider_id_idx" ON "chain_entries" USING btree ("provider_id");--> statement-breakpoint
CREATE INDEX "chains_position_idx" ON "chains" USING btree ("position");--> statement-breakpoint
CREATE UNIQUE INDEX "client_api_keys_key_hash_idx" ON "client_api_keys" USING btree ("key_hash");--> statement-breakpoint
CREATE INDEX "client_api_keys_display_prefix_idx" ON "client_api_keys" USING btree ("display_prefix");--> statement-breakpoint
CREATE INDEX "client_api_keys_secret_key_id_idx" ON "client_api_keys" USING btree ("secret_key_id");--> statement-breakpoint
CREATE INDEX "providers_position_idx" ON "providers" USING btree ("position");--> statement-breakpoint
CREATE INDEX "providers_api_key_key_id_idx" ON "providers" USING btree ("api_key_key_id");