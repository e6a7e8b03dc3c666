import type { CallRecord } from "../core/index.js";
import type { DrizzleDb } from "./database.js";
import { CallWriteError } from "./call-write-error.js";
import { insertCallBatch } from "./insert-call-batch.js";

export interface RejectedCall {
  record: CallRecord;
  /** Never retryable. */
  error: CallWriteError;
}

export interface BatchOutcome {
  /** Calls newly stored (duplicates of stored ids are not counted). */
  inserted: number;
  /** Records the database refuses whatever the retry (bad data): isolated so they cannot wedge the log. */
  rejected: RejectedCall[];
}

/**
 * Writes a batch. A retryable failure (connection, server down) throws a CallWriteError so the
 * caller retries the whole batch. A permanent one would fail every retry forever, so the record
 * at fault is taken out — at once when the failure names it (it cannot be serialized), else by
 * splitting the batch until the records the database refuses are isolated — and the rest is
 * written. What is taken out comes back in `rejected`, for the quarantine.
 */
export async function writeCallBatch(db: DrizzleDb, records: readonly CallRecord[]): Promise<BatchOutcome> {
  const rejected: RejectedCall[] = [];
  const valid: CallRecord[] = [];
  for (const record of records) {
    const error = mappingError(record);
    if (error === undefined) valid.push(record);
    else rejected.push({ record, error });
  }
  const outcome = await writeIsolating(db, valid);
  return { inserted: outcome.inserted, rejected: [...rejected, ...outcome.rejected] };
}

async function writeIsolating(db: DrizzleDb, records: readonly CallRecord[]): Promise<BatchOutcome> {
  let remaining = records;
  const rejected: RejectedCall[] = [];
  for (;;) {
    if (remaining.length === 0) return { inserted: 0, rejected };
    try {
      return { inserted: await insertCallBatch(db, remaining), rejected };
    } catch (caught) {
      const error = CallWriteError.from(caught);
      if (error.retryable) throw error;
      const culprit = error.callId;
      if (culprit !== undefined && remaining.some((record) => record.id === culprit)) {
        for (const record of remaining) if (record.id === culprit) rejected.push({ record, error });
        remaining = remaining.filter((record) => record.id !== culprit);
        continue;
      }
      const [only] = remaining;
      // The database refused this one record: it is the culprit whatever the error said.
      if (remaining.length === 1 && only) return { inserted: 0, rejected: [...rejected, { record: only, error }] };
      const middle = Math.ceil(remaining.length / 2);
      const left = await writeIsolating(db, remaining.slice(0, middle));
      const right = await writeIsolating(db, remaining.slice(middle));
      return { inserted: left.inserted + right.inserted, rejected: [...rejected, ...left.rejected, ...right.rejected] };
    }
  }
}

/** A record that cannot even be turned into rows (a non-bigint cost, an invalid date). */
function mappingError(record: CallRecord): CallWriteError | undefined {
  try {
    return invalidField(record);
  } catch (error) {
    return new CallWriteError(`call ${String(record?.id)} is not a call record`, { cause: error, callId: String(record?.id), retryable: false });
  }
}

function invalidField(record: CallRecord): CallWriteError | undefined {
  const invalid = (message: string) => new CallWriteError(message, { callId: record.id, retryable: false });
  if (typeof record.costPico !== "bigint") return invalid(`call ${record.id}: costPico is not a bigint`);
  if (!isValidDate(record.createdAt)) return invalid(`call ${record.id}: createdAt is not a valid Date`);
  if (!Array.isArray(record.attempts)) return invalid(`call ${record.id}: attempts is not an array`);
  for (const attempt of record.attempts) {
    if (typeof attempt.costPico !== "bigint" || !isValidDate(attempt.startedAt)) {
      return invalid(`call ${record.id}: attempt ${attempt.index} has a non-bigint cost or an invalid startedAt`);
    }
  }
  return undefined;
}

const isValidDate = (value: unknown): boolean => value instanceof Date && !Number.isNaN(value.getTime());
