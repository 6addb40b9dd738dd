CREATE TABLE "request_log_dead_letters" (
	"request_id" text PRIMARY KEY NOT NULL,
	"log" text NOT NULL,
	"sql_state" text,
	"error" text NOT NULL,
	"source" text NOT NULL,
	"parked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "request_logs" ADD COLUMN "client_request_id" text;--> statement-breakpoint
CREATE INDEX "request_log_dead_letters_parked_at_idx" ON "request_log_dead_letters" USING btree ("parked_at");--> statement-breakpoint
CREATE INDEX "request_logs_client_request_id_idx" ON "request_logs" USING btree ("client_request_id") WHERE "request_logs"."client_request_id" is not null;