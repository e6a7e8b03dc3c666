import { sql } from "drizzle-orm";
import { type AttemptRollupJsonRow, AttemptRollupAccumulator } from "./build-attempt-rollup-rows.js";
import { type CallRollupJsonRow, INCREMENT_LEVEL, RollupAccumulator } from "./build-call-rollup-rows.js";
import { ROLLUP_LEVELS } from "./rollup-breakdowns.js";
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
 * Increments summed between two turns of the event loop. A merge of a busy stretch's increments is
 * tens of thousands of them (40 batches of 500 calls over 400 key × user combinations: 18,667), which
 * took 70–130 ms of CPU in one synchronous run, stalling every request meanwhile; at 2–4 µs each, a
 * slice of this many holds the loop for a few milliseconds.
 */
const INCREMENTS_PER_SLICE = 1_000;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Folds up to `maxDeltas` of the oldest rollup increments into `call_rollups` and
 * `attempt_rollups`: takes them
 * (FOR UPDATE SKIP LOCKED, so several gateway instances never take the same row), sums them
 * in memory — increments of one busy minute collapse into one row per combination — adds the
 * sums with one upsert and deletes the increments, all in one transaction. Readers see each
 * increment either still pending or merged, never both or neither. The increments come as text
 * and are parsed and summed in slices (INCREMENTS_PER_SLICE) with a turn of the event loop between
 * them, so requests are served while a large merge runs.
 */
export async function mergeRollupDeltas(db: DrizzleDb, options: { maxDeltas?: number } = {}): Promise<MergeOutcome> {
  const maxDeltas = Math.max(1, options.maxDeltas ?? 200);
  return db.transaction(async (tx) => {
    const taken = (await tx.execute(sql`
      delete from ${callRollupDeltas}
      where id in (select id from ${callRollupDeltas} order by id limit ${maxDeltas} for update skip locked)
      returning rollup_rows::text as rollup_rows, attempt_rows::text as attempt_rows`)) as unknown as {
      rows: Array<{ rollup_rows: CallRollupJsonRow[] | string; attempt_rows: AttemptRollupJsonRow[] | string }>;
    };
    if (taken.rows.length === 0) return { deltas: 0, rollupRows: 0 };
    // Sum the increments at their own level first (batches of one busy minute repeat the same
    // combinations), then derive every level from the sums.
    const minuteSums = new RollupAccumulator();
    const attemptSums = new AttemptRollupAccumulator();
    // Work done since the last turn of the loop, in increments.
    let sinceTurn = 0;
    const due = (work: number): boolean => {
      sinceTurn += work;
      if (sinceTurn < INCREMENTS_PER_SLICE) return false;
      sinceTurn = 0;
      return true;
    };
    for (const delta of taken.rows) {
      for (const increment of parsed(delta.rollup_rows)) {
        minuteSums.addIncrement(increment, [INCREMENT_LEVEL]);
        if (due(1)) await nextTurn();
      }
      const attempts = parsed(delta.attempt_rows);
      for (const increment of attempts) attemptSums.addIncrement(increment);
      if (due(attempts.length)) await nextTurn();
    }
    const callSums = new RollupAccumulator();
    // Each sum is added at every level kept.
    for (const sum of minuteSums.rows(false)) {
      callSums.addIncrement(sum);
      if (due(ROLLUP_LEVELS.length)) await nextTurn();
    }
    const rows = callSums.rows();
    // Sorting and encoding the sums is a run of its own; the statement's JSON is the next.
    await nextTurn();
    await upsertCallRollups(tx, rows);
    await upsertAttemptRollups(tx, attemptSums.rows());
    return { deltas: taken.rows.length, rollupRows: rows.length };
  });
}
