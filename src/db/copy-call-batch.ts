import type { CallRecord } from "../core/index.js";
import { buildAttemptRollupRows } from "./build-attempt-rollup-rows.js";
import { buildCallRollupRows } from "./build-call-rollup-rows.js";
import { COPY_ATTEMPTS, COPY_CALLS, attemptsCopyText, callsCopyText } from "./call-copy-text.js";
import { CallWriteError } from "./call-write-error.js";
import { copyRowsIn } from "./copy-rows-in.js";
import type { DrizzleDb } from "./database.js";
import { insertRollupIncrements } from "./insert-rollup-increments.js";

/**
 * The copied way (see insertCallBatch): the number of calls stored, or undefined when the batch must go
 * the careful way (a call stored already, a value COPY cannot be sure to store as the careful way would,
 * data the database refuses). A failure that heals (the database is away) is thrown, to retry the batch.
 * Written here, not by a library, because a measurement pays for it (bench/call-log-write-cpu.ts against
 * the careful way alone, alternating rounds): the Postgres backend spent 23 µs of CPU per stored call
 * instead of 40 in batches of 500, 64 instead of 104 in batches of 20, the writing process the same
 * (COPY skips the JSON parse, INSERT … SELECT's per-row work and ON CONFLICT's speculative insertion).
 */
export async function copyCallBatch(db: DrizzleDb, unique: Map<string, CallRecord>): Promise<number | undefined> {
  let callsText: string;
  let attemptsText: string;
  try {
    callsText = callsCopyText(unique.values());
    attemptsText = attemptsCopyText(unique.values());
  } catch {
    // The careful way serializes the batch again and names the record at fault, if it is one.
    return undefined;
  }
  try {
    return await db.transaction(async (tx) => {
      const copying = copyRowsIn(tx, COPY_CALLS, callsText);
      // While the server copies, aggregate the increments (this work overlaps the round trip).
      copying.catch(() => undefined);
      await new Promise((resolve) => setImmediate(resolve));
      const increments = { calls: buildCallRollupRows(unique.values()), attempts: buildAttemptRollupRows(unique.values()) };
      if (!(await copying)) throw new NoCopyError();
      if (attemptsText !== "") await copyRowsIn(tx, COPY_ATTEMPTS, attemptsText);
      await insertRollupIncrements(tx, increments);
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

