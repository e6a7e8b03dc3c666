import { bigint, pgTable, text, timestamp, unique } from "drizzle-orm/pg-core";

/**
 * Per-minute outcomes of attempts per deployment (every try: retries, fallbacks, hedges), so
 * a deployment's recent health across every gateway instance — and from before a restart — is
 * a read of a few rows, not a scan of `call_attempts`. Maintained like `call_rollups`: the
 * call-log writer adds increments to `call_rollup_deltas` in the calls' transaction and the
 * rollup merger folds them in. `latency_sketch` has the `call_rollups` encoding.
 */
export const attemptRollups = pgTable(
  "attempt_rollups",
  {
    /** The minute the attempts started in. */
    bucketStart: timestamp("bucket_start", { withTimezone: true, mode: "date" }).notNull(),
    deployment: text("deployment").notNull(),
    modelGroup: text("model_group").notNull(),
    provider: text("provider").notNull(),
    outcome: text("outcome").notNull(),
    errorKind: text("error_kind"),
    attempts: bigint("attempts", { mode: "number" }).notNull(),
    hedged: bigint("hedged", { mode: "number" }).notNull(),
    latencySketch: bigint("latency_sketch", { mode: "number" }).array().notNull(),
  },
  (table) => [
    unique("attempt_rollups_key")
      .on(table.bucketStart, table.deployment, table.modelGroup, table.provider, table.outcome, table.errorKind)
      .nullsNotDistinct(),
  ],
);
