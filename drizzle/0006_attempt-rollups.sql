CREATE TABLE "attempt_rollups" (
	"bucket_start" timestamp with time zone NOT NULL,
	"deployment" text NOT NULL,
	"model_group" text NOT NULL,
	"provider" text NOT NULL,
	"outcome" text NOT NULL,
	"error_kind" text,
	"attempts" bigint NOT NULL,
	"hedged" bigint NOT NULL,
	"latency_sketch" bigint[] NOT NULL,
	CONSTRAINT "attempt_rollups_key" UNIQUE NULLS NOT DISTINCT("bucket_start","deployment","model_group","provider","outcome","error_kind")
);
--> statement-breakpoint
ALTER TABLE "call_rollup_deltas" ADD COLUMN "attempt_rows" json DEFAULT '[]'::json NOT NULL;