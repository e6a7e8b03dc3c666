ALTER TABLE "virtual_keys" ADD COLUMN "previous_key_hash" text;--> statement-breakpoint
ALTER TABLE "virtual_keys" ADD COLUMN "previous_key_expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "virtual_keys" ADD CONSTRAINT "virtual_keys_previous_key_hash_unique" UNIQUE("previous_key_hash");