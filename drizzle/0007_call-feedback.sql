CREATE TABLE "call_feedback" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"call_id" uuid NOT NULL,
	"score" double precision NOT NULL,
	"comment" text,
	"key_id" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "call_feedback" ADD CONSTRAINT "call_feedback_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "call_feedback_call_id_idx" ON "call_feedback" USING btree ("call_id");