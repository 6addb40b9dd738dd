ALTER TABLE "chain_entries" ADD COLUMN "price" jsonb;--> statement-breakpoint
ALTER TABLE "chains" ADD COLUMN "budget" jsonb;--> statement-breakpoint
ALTER TABLE "chains" ADD COLUMN "reference_price" jsonb;--> statement-breakpoint
ALTER TABLE "client_api_keys" ADD COLUMN "daily_spend_micros" bigint;--> statement-breakpoint
ALTER TABLE "client_api_keys" ADD COLUMN "monthly_spend_micros" bigint;--> statement-breakpoint
ALTER TABLE "entry_rollups" ADD COLUMN "cost_micros" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "providers" ADD COLUMN "free" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "request_logs" ADD COLUMN "cost_micros" bigint;--> statement-breakpoint
ALTER TABLE "request_logs" ADD COLUMN "saved_micros" bigint;--> statement-breakpoint
ALTER TABLE "usage_rollups" ADD COLUMN "cost_micros" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_rollups" ADD COLUMN "saved_micros" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_totals" ADD COLUMN "cost_micros" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "usage_totals" ADD COLUMN "saved_micros" bigint DEFAULT 0 NOT NULL;