import { sql } from "drizzle-orm";
import { type CallRollupJsonRow, RollupAccumulator } from "./build-call-rollup-rows.js";
import type { DrizzleDb } from "./database.js";
import { callRollupDeltas } from "./schema/index.js";
import { upsertCallRollups } from "./upsert-call-rollups.js";

export interface MergeOutcome {
  /** `call_rollup_deltas` rows folded in (one per written batch). */
  deltas: number;
  /** Distinct `call_rollups` rows they added to. */
  rollupRows: number;
}

/**
 * Folds up to `maxDeltas` of the oldest rollup increments into `call_rollups`: takes them
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
      returning rollup_rows`)) as unknown as { rows: Array<{ rollup_rows: CallRollupJsonRow[] | string }> };
    if (taken.rows.length === 0) return { deltas: 0, rollupRows: 0 };
    const accumulator = new RollupAccumulator();
    for (const { rollup_rows: increments } of taken.rows) {
      for (const increment of typeof increments === "string" ? (JSON.parse(increments) as CallRollupJsonRow[]) : increments) {
        accumulator.addIncrement(increment);
      }
    }
    const rows = accumulator.rows();
    await upsertCallRollups(tx, rows);
    return { deltas: taken.rows.length, rollupRows: rows.length };
  });
}
