CREATE TABLE "call_rollup_deltas" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"written_at" timestamp with time zone DEFAULT now() NOT NULL,
	"rollup_rows" json NOT NULL
);
