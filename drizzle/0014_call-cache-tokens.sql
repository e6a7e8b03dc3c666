ALTER TABLE "call_attempts" ADD COLUMN "cache_write_tokens" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "cache_write_tokens" integer DEFAULT 0 NOT NULL;