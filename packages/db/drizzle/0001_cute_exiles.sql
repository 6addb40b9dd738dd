CREATE TABLE "request_attempts" (
	"request_id" text NOT NULL,
	"position" integer NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"outcome" text NOT NULL,
	"status" integer,
	"latency_ms" integer NOT NULL,
	"cooldown_until" bigint,
	CONSTRAINT "request_attempts_request_id_position_pk" PRIMARY KEY("request_id","position")
);
--> statement-breakpoint
CREATE TABLE "request_logs" (
	"request_id" text PRIMARY KEY NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"api_key_id" text,
	"chain" text NOT NULL,
	"provider" text,
	"model" text,
	"stream" boolean NOT NULL,
	"outcome" text NOT NULL,
	"http_status" integer NOT NULL,
	"error_code" text,
	"prompt_tokens" integer NOT NULL,
	"completion_tokens" integer NOT NULL,
	"tokens_estimated" boolean NOT NULL,
	"latency_ms" integer NOT NULL,
	"ttfb_ms" integer,
	"replica" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage_rollups" (
	"bucket_size" text NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"chain" text NOT NULL,
	"api_key" text NOT NULL,
	"requests" integer NOT NULL,
	"successes" integer NOT NULL,
	"client_errors" integer NOT NULL,
	"exhausted" integer NOT NULL,
	"failed" integer NOT NULL,
	"timeouts" integer NOT NULL,
	"cancelled" integer NOT NULL,
	"rejected" integer NOT NULL,
	"rate_limited_attempts" integer NOT NULL,
	"waterfalled_requests" integer NOT NULL,
	"skipped_attempts" integer NOT NULL,
	"prompt_tokens" bigint NOT NULL,
	"completion_tokens" bigint NOT NULL,
	"latency_sum_ms" bigint NOT NULL,
	"latency_max_ms" integer NOT NULL,
	"latency_histogram" integer[] NOT NULL,
	CONSTRAINT "usage_rollups_pk" PRIMARY KEY("bucket_size","bucket_start","provider","model","chain","api_key"),
	CONSTRAINT "usage_rollups_bucket_size_check" CHECK ("usage_rollups"."bucket_size" IN ('minute', 'hour', 'day'))
);
--> statement-breakpoint
ALTER TABLE "request_attempts" ADD CONSTRAINT "request_attempts_request_id_request_logs_request_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."request_logs"("request_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "request_attempts_entry_idx" ON "request_attempts" USING btree ("provider","model","outcome");--> statement-breakpoint
CREATE INDEX "request_logs_at_idx" ON "request_logs" USING btree ("at","request_id");--> statement-breakpoint
CREATE INDEX "request_logs_chain_at_idx" ON "request_logs" USING btree ("chain","at");--> statement-breakpoint
CREATE INDEX "request_logs_provider_at_idx" ON "request_logs" USING btree ("provider","at");--> statement-breakpoint
CREATE INDEX "request_logs_api_key_at_idx" ON "request_logs" USING btree ("api_key_id","at");--> statement-breakpoint
CREATE INDEX "request_logs_outcome_at_idx" ON "request_logs" USING btree ("outcome","at");