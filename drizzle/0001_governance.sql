CREATE TABLE "teams" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"budget_usd" numeric(24, 12),
	"budget_period" text,
	"rpm" integer,
	"tpm" integer,
	"max_parallel" integer,
	"metadata" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "teams_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "virtual_keys" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text,
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"team_id" uuid,
	"allowed_models" jsonb NOT NULL,
	"budget_usd" numeric(24, 12),
	"budget_period" text,
	"end_user_budget_usd" numeric(24, 12),
	"end_user_budget_period" text,
	"rpm" integer,
	"tpm" integer,
	"max_parallel" integer,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"tags" jsonb NOT NULL,
	"metadata" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "virtual_keys_key_hash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
ALTER TABLE "virtual_keys" ADD CONSTRAINT "virtual_keys_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "virtual_keys_updated_at_idx" ON "virtual_keys" USING btree ("updated_at");--> statement-breakpoint
CREATE INDEX "virtual_keys_team_id_idx" ON "virtual_keys" USING btree ("team_id");