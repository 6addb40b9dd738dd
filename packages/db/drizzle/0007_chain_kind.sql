ALTER TABLE "chains" ADD COLUMN "kind" text DEFAULT 'chat' NOT NULL;--> statement-breakpoint
ALTER TABLE "chains" ADD COLUMN "dimensions" integer;--> statement-breakpoint
ALTER TABLE "chains" ADD CONSTRAINT "chains_kind_check" CHECK ("chains"."kind" IN ('chat', 'embeddings'));--> statement-breakpoint
ALTER TABLE "chains" ADD CONSTRAINT "chains_dimensions_check" CHECK ("chains"."dimensions" IS NULL OR ("chains"."kind" = 'embeddings' AND "chains"."dimensions" > 0));