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
import { calls } from "./calls.js";

/** One row per try against one deployment within a call (retries, fallbacks, hedges). */
export const callAttempts = pgTable(
  "call_attempts",
  {
    callId: uuid("call_id")
      .notNull()
      .references(() => calls.id, { onDelete: "cascade" }),
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
  (table) => [primaryKey({ columns: [table.callId, table.attemptIndex] })],
);
