import {
  boolean,
  doublePrecision,
  integer,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
/**
 * One row per try against one deployment within a call (retries, fallbacks, hedges).
 * Partitioned by range of `started_at` like `calls` by `created_at` (migration 0013): an attempt
 * starts at or after its call, so it sits in its call's day or, for a call across midnight, the
 * next one. No foreign key to `calls`: one to a partitioned table would need `created_at` here,
 * and would make dropping a day's partition check every attempt. The call-log writer inserts a
 * call's attempts in the call's transaction, only for calls it stored, which keeps them paired.
 */
export const callAttempts = pgTable(
  "call_attempts",
  {
    callId: uuid("call_id").notNull(),
    attemptIndex: integer("attempt_index").notNull(),
    modelGroup: text("model_group").notNull(),
    deployment: text("deployment").notNull(),
    provider: text("provider").notNull(),
    providerModel: text("provider_model").notNull(),
    outcome: text("outcome", { enum: ["SUCCESS", "ERROR", "CANCELLED"] }).notNull(),
    errorKind: text("error_kind"),
    errorMessage: text("error_message"),
    httpStatus: integer("http_status"),
    startedAt: timestamp("started_at", { withTimezone: true, mode: "date" }).notNull(),
    latencyMs: doublePrecision("latency_ms").notNull(),
    hedged: boolean("hedged").notNull(),
    promptTokens: integer("prompt_tokens").notNull(),
    completionTokens: integer("completion_tokens").notNull(),
    cachedTokens: integer("cached_tokens").notNull(),
    cacheWriteTokens: integer("cache_write_tokens").notNull().default(0),
    costUsd: numeric("cost_usd", { precision: 24, scale: 12 }).notNull(),
  },
  (table) => [primaryKey({ name: "call_attempts_pkey", columns: [table.callId, table.attemptIndex, table.startedAt] })],
);
