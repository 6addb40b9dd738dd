CREATE TABLE "entry_rollups" (
	"bucket_size" text NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"chain" text NOT NULL,
	"attempts" integer NOT NULL,
	"ok" integer NOT NULL,
	"rate_limited" integer NOT NULL,
	"quota_exhausted" integer NOT NULL,
	"skipped" integer NOT NULL,
	"errors" integer NOT NULL,
	CONSTRAINT "entry_rollups_pk" PRIMARY KEY("bucket_size","bucket_start","provider","model","chain"),
	CONSTRAINT "entry_rollups_bucket_size_check" CHECK ("entry_rollups"."bucket_size" IN ('minute', 'hour', 'day'))
);
--> statement-breakpoint
CREATE TABLE "usage_totals" (
	"bucket_size" text NOT NULL,
	"bucket_start" timestamp with time zone NOT NULL,
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
	CONSTRAINT "usage_totals_pk" PRIMARY KEY("bucket_size","bucket_start"),
	CONSTRAINT "usage_totals_bucket_size_check" CHECK ("usage_totals"."bucket_size" IN ('minute', 'hour', 'day'))
);
--> statement-breakpoint
DROP INDEX "request_attempts_entry_idx";