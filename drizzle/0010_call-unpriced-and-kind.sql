ALTER TABLE "calls" ADD COLUMN "unpriced" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "kind" text DEFAULT 'COMPLETION' NOT NULL;