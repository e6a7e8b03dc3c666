ALTER TABLE "calls" ADD COLUMN "routing_policy" text;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "routing_score" double precision;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "routing_threshold" double precision;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "routing_tier" text;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "routing_reason" text;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "escalated_from" uuid;