CREATE TABLE "stored_responses" (
	"id" text PRIMARY KEY NOT NULL,
	"call_id" uuid NOT NULL,
	"key_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"messages" jsonb NOT NULL,
	"response" jsonb NOT NULL
);
--> statement-breakpoint
CREATE INDEX "stored_responses_created_at_idx" ON "stored_responses" USING btree ("created_at");