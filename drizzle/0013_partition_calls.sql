-- Hand-written migration (drizzle-kit cannot express PARTITION BY): `calls` becomes partitioned by
-- range of created_at and `call_attempts` by range of started_at, one partition per UTC day plus a
-- DEFAULT partition each. The snapshot next to it (meta/0013_snapshot.json) is drizzle-kit's, from
-- src/db/schema: primary keys (id, created_at) and (call_id, attempt_index, started_at), no foreign
-- keys to `calls` (one to a partitioned table must name its partition key; see call-attempts.ts).
--
-- A populated table is rebuilt: renamed, a partitioned table created with the same columns, daily
-- partitions covering the old rows' days up to today, the rows copied, the old table dropped. The
-- migrator runs this in one transaction, holding `calls` and `call_attempts` locked throughout: on
-- a large table plan for downtime (docs/scale-out.md, "Partitioning an existing call log"). When
-- `calls` is already partitioned (the operator converted it by hand, e.g. by attaching the old table
-- as one partition), only the foreign keys go.
ALTER TABLE "call_attempts" DROP CONSTRAINT IF EXISTS "call_attempts_call_id_calls_id_fk";
--> statement-breakpoint
ALTER TABLE "call_feedback" DROP CONSTRAINT IF EXISTS "call_feedback_call_id_calls_id_fk";
--> statement-breakpoint
DO $$
DECLARE
  first_day date;
  last_day date;
  day date;
  suffix text;
BEGIN
  IF EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = 'public.calls'::regclass) THEN
    RETURN;
  END IF;

  -- The old tables keep their rows under new names; their keys and indexes go (the new tables reuse the names).
  ALTER TABLE "calls" DROP CONSTRAINT "calls_pkey";
  DROP INDEX "calls_created_at_id_idx", "calls_key_id_created_at_idx", "calls_team_id_created_at_idx", "calls_model_group_created_at_idx";
  ALTER TABLE "calls" RENAME TO "calls_unpartitioned";
  ALTER TABLE "call_attempts" DROP CONSTRAINT "call_attempts_call_id_attempt_index_pk";
  ALTER TABLE "call_attempts" RENAME TO "call_attempts_unpartitioned";

  CREATE TABLE "calls" (LIKE "calls_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("created_at");
  ALTER TABLE "calls" ADD CONSTRAINT "calls_pkey" PRIMARY KEY ("id", "created_at");
  CREATE INDEX "calls_created_at_id_idx" ON "calls" USING btree ("created_at" DESC NULLS FIRST, "id" DESC NULLS FIRST);
  CREATE INDEX "calls_key_id_created_at_idx" ON "calls" USING btree ("key_id", "created_at");
  CREATE INDEX "calls_team_id_created_at_idx" ON "calls" USING btree ("team_id", "created_at");
  CREATE INDEX "calls_model_group_created_at_idx" ON "calls" USING btree ("model_group", "created_at");
  CREATE TABLE "calls_default" PARTITION OF "calls" DEFAULT;

  CREATE TABLE "call_attempts" (LIKE "call_attempts_unpartitioned" INCLUDING DEFAULTS) PARTITION BY RANGE ("started_at");
  ALTER TABLE "call_attempts" ADD CONSTRAINT "call_attempts_pkey" PRIMARY KEY ("call_id", "attempt_index", "started_at");
  CREATE TABLE "call_attempts_default" PARTITION OF "call_attempts" DEFAULT;

  -- One partition per UTC day from the oldest row's day to today (the gateway creates the days ahead at start).
  first_day := coalesce((SELECT (min(t) AT TIME ZONE 'UTC')::date FROM (VALUES (
                   (SELECT min("created_at") FROM "calls_unpartitioned")), (
                   (SELECT min("started_at") FROM "call_attempts_unpartitioned"))) AS v(t)),
                 (now() AT TIME ZONE 'UTC')::date);
  last_day := (SELECT (max(t) AT TIME ZONE 'UTC')::date FROM (VALUES (
                   (SELECT max("created_at") FROM "calls_unpartitioned")), (
                   (SELECT max("started_at") FROM "call_attempts_unpartitioned")), (now())) AS v(t));
  day := first_day;
  WHILE day <= last_day LOOP
    suffix := to_char(day, 'YYYYMMDD');
    EXECUTE format('CREATE TABLE %I PARTITION OF "calls" FOR VALUES FROM (%L) TO (%L)',
      'calls_p' || suffix, (day::timestamp AT TIME ZONE 'UTC'), ((day + 1)::timestamp AT TIME ZONE 'UTC'));
    EXECUTE format('CREATE TABLE %I PARTITION OF "call_attempts" FOR VALUES FROM (%L) TO (%L)',
      'call_attempts_p' || suffix, (day::timestamp AT TIME ZONE 'UTC'), ((day + 1)::timestamp AT TIME ZONE 'UTC'));
    day := day + 1;
  END LOOP;

  -- Same columns in the same order (LIKE), so the rows copy as they are.
  INSERT INTO "calls" SELECT * FROM "calls_unpartitioned";
  INSERT INTO "call_attempts" SELECT * FROM "call_attempts_unpartitioned";
  DROP TABLE "call_attempts_unpartitioned";
  DROP TABLE "calls_unpartitioned";
END
$$;
