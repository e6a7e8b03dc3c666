import { type SQL, getTableName, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { AttemptRollupJsonRow } from "./build-attempt-rollup-rows.js";
import type { CallRollupJsonRow } from "./build-call-rollup-rows.js";
import type { DrizzleDb } from "./database.js";
import { callRollupDeltas } from "./schema/index.js";

export interface RollupIncrements {
  calls: CallRollupJsonRow[];
  attempts: AttemptRollupJsonRow[];
}

// Built once (drizzle's SQL builder walks every identifier each time a statement is rendered).
const name = (identifier: string): string => new PgDialect().escapeName(identifier);
const INSERT_DELTAS = sql.raw(
  `insert into ${name(getTableName(callRollupDeltas))} (${name(callRollupDeltas.rollupRows.name)}, ${name(callRollupDeltas.attemptRows.name)})
        values (`,
);
const insertDeltas = (callRows: string, attemptRows: string): SQL => sql`${INSERT_DELTAS}${callRows}::json, ${attemptRows}::json)`;

/** A batch's rollup increments as one `call_rollup_deltas` row, in the batch's transaction `tx` (none when no call is new). */
export async function insertRollupIncrements(tx: DrizzleDb, increments: RollupIncrements): Promise<void> {
  if (increments.calls.length > 0) await tx.execute(insertDeltas(JSON.stringify(increments.calls), JSON.stringify(increments.attempts)));
}
