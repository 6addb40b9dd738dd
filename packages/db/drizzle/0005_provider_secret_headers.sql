ALTER TABLE "providers" ADD COLUMN "secret_headers" jsonb;--> statement-breakpoint
ALTER TABLE "providers" ADD COLUMN "secret_headers_key_id" text;--> statement-breakpoint
ALTER TABLE "providers" ADD CONSTRAINT "providers_secret_headers_key_id_check" CHECK (("providers"."secret_headers" IS NULL) = ("providers"."secret_headers_key_id" IS NULL));