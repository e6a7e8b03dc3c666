import { sql } from "drizzle-orm";
import { bigserial, json, pgTable, timestamp } from "drizzle-orm/pg-core";

/**
 * Rollup increments not yet folded into `call_rollups` and `attempt_rollups`. The call-log writer adds one row per
 * batch, in the transaction that stores the batch's calls (so a stored call always has its
 * increment, exactly once); the rollup merger later takes rows, sums them in memory and adds
 * them to `call_rollups` in one transaction that also deletes them. Usage reads add the rows
 * still here, so reports are exact whether or not a merge has run. See merge-rollup-deltas.ts.
 */
export const callRollupDeltas = pgTable("call_rollup_deltas", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  writtenAt: timestamp("written_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  /** CallRollupJsonRow[]: call_rollups rows in the json_populate_recordset shape. */
  rollupRows: json("rollup_rows").notNull(),
  /** AttemptRollupJsonRow[]: attempt_rollups rows of the same calls' attempts. */
  attemptRows: json("attempt_rows").notNull().default(sql`'[]'::json`),
});
