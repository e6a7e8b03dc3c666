import { bigint, numeric, pgTable, smallint, text, timestamp, unique } from "drizzle-orm/pg-core";

/**
 * Per-minute, per-hour and per-day aggregates of `calls` over the common dimensions, kept in
 * the same transaction as the calls they count (see upsert-call-rollups.ts). Every grain and
 * breakdown holds every call, so a time range can be cut into segments answered by the
 * coarsest grain that fits.
 * Dimensions stay NULL like in `calls`; the unique constraint treats NULLs as equal so each
 * combination has one row.
 *
 * The latency and TTFT sketches are sparse log-bucket histograms (latency-sketch.ts): each element is
 * `count * 1024 + bucket_index` (sketch-codec.ts; `bucket_index * 2^32 + count` before migration
 * 0017), merged by adding counts per index.
 */
export const callRollups = pgTable(
  "call_rollups",
  {
    /** Bucket width in minutes: 1, 60 or 1440. */
    grain: smallint("grain").notNull(),
    /**
     * Which dimensions the row keeps (the others are NULL): 0 = all (minute grain only);
     * 1 = model group, provider, deployment, status, error kind; 2 = key, team, status (every
     * grain), so reports that need only those read far fewer rows. See rollup-breakdowns.ts.
     */
    breakdown: smallint("breakdown").notNull(),
    bucketStart: timestamp("bucket_start", { withTimezone: true, mode: "date" }).notNull(),
    modelGroup: text("model_group"),
    provider: text("provider"),
    deployment: text("deployment"),
    keyId: text("key_id"),
    teamId: text("team_id"),
    endUser: text("end_user"),
    status: text("status").notNull(),
    errorKind: text("error_kind"),
    requests: bigint("requests", { mode: "number" }).notNull(),
    errors: bigint("errors", { mode: "number" }).notNull(),
    promptTokens: bigint("prompt_tokens", { mode: "number" }).notNull(),
    completionTokens: bigint("completion_tokens", { mode: "number" }).notNull(),
    cachedTokens: bigint("cached_tokens", { mode: "number" }).notNull(),
    /** Prompt tokens written to the provider's cache; rows of buckets before migration 0015 hold 0. */
    cacheWriteTokens: bigint("cache_write_tokens", { mode: "number" }).notNull().default(0),
    costUsd: numeric("cost_usd", { precision: 38, scale: 12 }).notNull(),
    latencySketch: bigint("latency_sketch", { mode: "number" }).array().notNull(),
    ttftSketch: bigint("ttft_sketch", { mode: "number" }).array().notNull(),
  },
  (table) => [
    unique("call_rollups_key")
      .on(
        table.grain,
        table.breakdown,
        table.bucketStart,
        table.modelGroup,
        table.provider,
        table.deployment,
        table.keyId,
        table.teamId,
        table.endUser,
        table.status,
        table.errorKind,
      )
      .nullsNotDistinct(),
    // No other index: every upsert that touches an indexed column pays for it, and reads go by
    // (grain, breakdown, bucket_start), the unique key's prefix. Migration 0003 sets fillfactor 70
    // so counter updates stay on their page (HOT) and leave the index alone.
  ],
);
