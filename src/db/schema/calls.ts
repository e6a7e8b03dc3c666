import {
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";

/**
 * One row per call, whatever its outcome. Analysts query this table directly (API.md,
 * "The database is public too"): the column names are a contract — add, never rename.
 * Schema files import only drizzle-orm and each other so drizzle-kit can load them.
 *
 * In the database the table is partitioned by range of `created_at` (one partition a day and a
 * DEFAULT partition; migration 0013, call-partitions.ts). Drizzle's DSL cannot say PARTITION BY,
 * so this definition keeps the columns, keys and indexes (what drizzle-kit compares) and the
 * partitioning lives in that hand-written migration. A primary key of a partitioned table must
 * hold the partition key, hence (id, created_at); ids stay unique because they are random UUIDs.
 */
export const calls = pgTable(
  "calls",
  {
    id: uuid("id").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull(),
    requestedModel: text("requested_model").notNull(),
    modelGroup: text("model_group"),
    provider: text("provider"),
    deployment: text("deployment"),
    providerModel: text("provider_model"),
    status: text("status", { enum: ["SUCCESS", "ERROR", "CANCELLED"] }).notNull(),
    errorKind: text("error_kind"),
    errorMessage: text("error_message"),
    finishReason: text("finish_reason"),
    streamed: boolean("streamed").notNull(),
    promptTokens: integer("prompt_tokens").notNull(),
    completionTokens: integer("completion_tokens").notNull(),
    // Of prompt_tokens: read from the provider's prompt cache (cached_tokens) and written to it (cache_write_tokens).
    cachedTokens: integer("cached_tokens").notNull(),
    cacheWriteTokens: integer("cache_write_tokens").notNull().default(0),
    reasoningTokens: integer("reasoning_tokens").notNull().default(0),
    // Exact money: numeric, never a float (12 decimals = whole pico-dollars).
    costUsd: numeric("cost_usd", { precision: 24, scale: 12 }).notNull(),
    latencyMs: doublePrecision("latency_ms").notNull(),
    ttftMs: doublePrecision("ttft_ms"),
    attemptCount: integer("attempt_count").notNull(),
    // Plain text until the keys and teams tables exist.
    keyId: text("key_id"),
    teamId: text("team_id"),
    endUser: text("end_user"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>(),
    // Quality routing and cascades: the decision behind the call (null for a plain group).
    routingPolicy: text("routing_policy", { enum: ["quality", "cascade"] }),
    routingScore: doublePrecision("routing_score"),
    routingThreshold: doublePrecision("routing_threshold"),
    routingTier: text("routing_tier"),
    routingReason: text("routing_reason"),
    // A cascade's escalated call points at the cheaper call whose answer failed its checks.
    escalatedFrom: uuid("escalated_from"),
    // An attempt of this call ran on a deployment with no known price: its cost is not known, not zero.
    unpriced: boolean("unpriced").notNull().default(false),
    // What was asked: a chat completion, or embeddings (no completion tokens, no finish reason).
    kind: text("kind", { enum: ["COMPLETION", "EMBEDDING"] }).notNull().default("COMPLETION"),
  },
  (table) => [
    primaryKey({ name: "calls_pkey", columns: [table.id, table.createdAt] }),
    // Newest-first keyset pagination walks this index; NULLS FIRST is what a plain
    // `ORDER BY created_at DESC, id DESC` asks for, so the planner can use it.
    index("calls_created_at_id_idx").on(table.createdAt.desc().nullsFirst(), table.id.desc().nullsFirst()),
    index("calls_key_id_created_at_idx").on(table.keyId, table.createdAt),
    index("calls_team_id_created_at_idx").on(table.teamId, table.createdAt),
    index("calls_model_group_created_at_idx").on(table.modelGroup, table.createdAt),
  ],
);

