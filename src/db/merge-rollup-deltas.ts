import { sql } from "drizzle-orm";
import { type AttemptRollupJsonRow, AttemptRollupAccumulator } from "./build-attempt-rollup-rows.js";
import { type CallRollupJsonRow, INCREMENT_LEVEL, RollupAccumulator } from "./build-call-rollup-rows.js";
import type { DrizzleDb } from "./database.js";
import { callRollupDeltas } from "./schema/index.js";
import { upsertAttemptRollups } from "./upsert-attempt-rollups.js";
import { upsertCallRollups } from "./upsert-call-rollups.js";

/** Both drivers parse json columns; a string is parsed here just in case. */
const parsed = <T>(value: T[] | string): T[] => (typeof value === "string" ? (JSON.parse(value) as T[]) : value);

export interface MergeOutcome {
  /** `call_rollup_deltas` rows folded in (one per written batch). */
  deltas: number;
  /** Distinct `call_rollups` rows they added to. */
  rollupRows: number;
}

/**
 * Folds up to `maxDeltas` of the oldest rollup increments into `call_rollups` and
 * `attempt_rollups`: takes them
 * (FOR UPDATE SKIP LOCKED, so several gateway instances never take the same row), sums them
 * in memory — increments of one busy minute collapse into one row per combination — adds the
 * sums with one upsert and deletes the increments, all in one transaction. Readers see each
 * increment either still pending or merged, never both or neither.
 */
export async function mergeRollupDeltas(db: DrizzleDb, options: { maxDeltas?: number } = {}): Promise<MergeOutcome> {
  const maxDeltas = Math.max(1, options.maxDeltas ?? 200);
  return db.transaction(async (tx) => {
    const taken = (await tx.execute(sql`
      delete from ${callRollupDeltas}
      where id in (select id from ${callRollupDeltas} order by id limit ${maxDeltas} for update skip locked)
      returning rollup_rows, attempt_rows`)) as unknown as {
      rows: Array<{ rollup_rows: CallRollupJsonRow[] | string; attempt_rows: AttemptRollupJsonRow[] | string }>;
    };
    if (taken.rows.length === 0) return { deltas: 0, rollupRows: 0 };
    // Sum the increments at their own level first (batches of one busy minute repeat the same
    // combinations), then derive every level from the sums.
    const minuteSums = new RollupAccumulator();
    const attemptSums = new AttemptRollupAccumulator();
    for (const delta of taken.rows) {
      for (const increment of parsed(delta.rollup_rows)) minuteSums.addIncrement(increment, [INCREMENT_LEVEL]);
      for (const increment of parsed(delta.attempt_rows)) attemptSums.addIncrement(increment);
    }
    const callSums = new RollupAccumulator();
    for (const sum of minuteSums.rows(false)) callSums.addIncrement(sum);
    const rows = callSums.rows();
    await upsertCallRollups(tx, rows);
    await upsertAttemptRollups(tx, attemptSums.rows());
    return { deltas: taken.rows.length, rollupRows: rows.length };
  });
}
