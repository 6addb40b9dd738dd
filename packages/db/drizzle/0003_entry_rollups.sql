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
