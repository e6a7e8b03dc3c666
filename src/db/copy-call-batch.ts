import type { CallRecord } from "../core/index.js";
import { buildAttemptRollupRows } from "./build-attempt-rollup-rows.js";
import { buildCallRollupRows } from "./build-call-rollup-rows.js";
import { COPY_ATTEMPTS, COPY_CALLS, COPY_INCREMENTS, attemptsCopyText, callsCopyText, incrementsCopyText } from "./call-copy-text.js";
import { CallWriteError } from "./call-write-error.js";
import { type CopyIn, copyRowsIn } from "./copy-rows-in.js";
import type { DrizzleDb } from "./database.js";

/**
 * The copied way (see insertCallBatch): the calls, their attempts and the batch's rollup increments as
 * three COPYs in one transaction (on node-postgres one round trip between BEGIN and COMMIT). Returns the
 * number of calls stored, or undefined when the batch must go the careful way (a call stored already, a
 * value COPY cannot be sure to store as the careful way would, data the database refuses). A failure
 * that heals (the database is away) is thrown, to retry the batch.
 * Measured (bench/call-log-write-cpu.ts against the careful way alone, alternating rounds): COPY skips
 * the JSON parse, INSERT … SELECT's per-row work and ON CONFLICT's speculative insertion, so the Postgres
 * backend spent 23 µs of CPU per stored call instead of 40 in batches of 500, 64 instead of 104 in
 * batches of 20; sending the three COPYs in one round trip (PgCopyQuery) then cut what the round trips
 * cost both sides.
 */
export async function copyCallBatch(db: DrizzleDb, unique: Map<string, CallRecord>): Promise<number | undefined> {
  if (unique.size === 0) return 0;
  let copies: CopyIn[];
  try {
    const increments = { calls: buildCallRollupRows(unique.values()), attempts: buildAttemptRollupRows(unique.values()) };
    copies = [
      { statement: COPY_CALLS, text: callsCopyText(unique.values()) },
      { statement: COPY_ATTEMPTS, text: attemptsCopyText(unique.values()) },
      { statement: COPY_INCREMENTS, text: incrementsCopyText(increments) },
    ];
  } catch {
    // The careful way serializes the batch again and names the record at fault, if it is one.
    return undefined;
  }
  try {
    return await db.transaction(async (tx) => {
      if (!(await copyRowsIn(tx, copies))) throw new NoCopyError();
      return unique.size;
    });
  } catch (error) {
    if (error instanceof NoCopyError) return undefined;
    const failure = CallWriteError.from(error);
    if (failure.retryable) throw failure;
    return undefined;
  }
}

/** The connection has no COPY this module knows: nothing was sent. */
class NoCopyError extends Error {}
