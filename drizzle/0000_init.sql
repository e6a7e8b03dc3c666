CREATE TABLE "call_attempts" (
	"call_id" uuid NOT NULL,
	"attempt_index" integer NOT NULL,
	"model_group" text NOT NULL,
	"deployment" text NOT NULL,
	"provider" text NOT NULL,
	"provider_model" text NOT NULL,
	"outcome" text NOT NULL,
	"error_kind" text,
	"error_message" text,
	"http_status" integer,
	"started_at" timestamp with time zone NOT NULL,
	"latency_ms" double precision NOT NULL,
	"hedged" boolean NOT NULL,
	"prompt_tokens" integer NOT NULL,
	"completion_tokens" integer NOT NULL,
	"cached_tokens" integer NOT NULL,
	"cost_usd" numeric(24, 12) NOT NULL,
	CONSTRAINT "call_attempts_call_id_attempt_index_pk" PRIMARY KEY("call_id","attempt_index")
);
--> statement-breakpoint
CREATE TABLE "calls" (
	"id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"requested_model" text NOT NULL,
	"model_group" text,
	"provider" text,
	"deployment" text,
	"provider_model" text,
	"status" text NOT NULL,
	"error_kind" text,
	"error_message" text,
	"finish_reason" text,
	"streamed" boolean NOT NULL,
	"prompt_tokens" integer NOT NULL,
	"completion_tokens" integer NOT NULL,
	"cached_tokens" integer NOT NULL,
	"reasoning_tokens" integer DEFAULT 0 NOT NULL,
	"cost_usd" numeric(24, 12) NOT NULL,
	"latency_ms" double precision NOT NULL,
	"ttft_ms" double precision,
	"attempt_count" integer NOT NULL,
	"key_id" text,
	"team_id" text,
	"end_user" text,
	"metadata" jsonb
);
--> statement-breakpoint
ALTER TABLE "call_attempts" ADD CONSTRAINT "call_attempts_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "calls_created_at_id_idx" ON "calls" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "calls_key_id_created_at_idx" ON "calls" USING btree ("key_id","created_at");--> statement-breakpoint
CREATE INDEX "calls_team_id_created_at_idx" ON "calls" USING btree ("team_id","created_at");--> statement-breakpoint
CREATE INDEX "calls_model_group_created_at_idx" ON "calls" USING btree ("model_group","created_at");