import type { CallRecord } from "../core/index.js";
import type { DrizzleDb } from "./database.js";
import { insertCallBatch } from "./insert-call-batch.js";

export interface RejectedCall {
  record: CallRecord;
  error: unknown;
}

export interface BatchOutcome {
  /** Calls newly stored (duplicates of stored ids are not counted). */
  inserted: number;
  /** Records the database refuses whatever the retry (bad data): isolated so they cannot wedge the log. */
  rejected: RejectedCall[];
}

/**
 * Writes a batch; transient failures (connection, server down) throw so the caller retries
 * the whole batch. A data error would fail every retry forever, so the batch is split until
 * the offending records are isolated and the rest is written.
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
  if (records.length === 0) return { inserted: 0, rejected: [] };
  try {
    return { inserted: await insertCallBatch(db, records), rejected: [] };
  } catch (error) {
    if (!isDataError(error)) throw error;
    const [only] = records;
    if (records.length === 1 && only) return { inserted: 0, rejected: [{ record: only, error }] };
    const middle = Math.ceil(records.length / 2);
    const left = await writeIsolating(db, records.slice(0, middle));
    const right = await writeIsolating(db, records.slice(middle));
    return { inserted: left.inserted + right.inserted, rejected: [...left.rejected, ...right.rejected] };
  }
}

/** A record that cannot even be turned into rows (a non-bigint cost, an invalid date). */
function mappingError(record: CallRecord): unknown {
  try {
    return invalidField(record);
  } catch (error) {
    return error;
  }
}

function invalidField(record: CallRecord): TypeError | undefined {
  if (typeof record.costPico !== "bigint") return new TypeError(`call ${record.id}: costPico is not a bigint`);
  if (!isValidDate(record.createdAt)) return new TypeError(`call ${record.id}: createdAt is not a valid Date`);
  if (!Array.isArray(record.attempts)) return new TypeError(`call ${record.id}: attempts is not an array`);
  for (const attempt of record.attempts) {
    if (typeof attempt.costPico !== "bigint" || !isValidDate(attempt.startedAt)) {
      return new TypeError(`call ${record.id}: attempt ${attempt.index} has a non-bigint cost or an invalid startedAt`);
    }
  }
  return undefined;
}

const isValidDate = (value: unknown): boolean => value instanceof Date && !Number.isNaN(value.getTime());

/** SQLSTATE classes 22 (data exception) and 23 (integrity violation): retrying cannot help. */
export function isDataError(error: unknown): boolean {
  const code = sqlState(error);
  return code !== undefined && (code.startsWith("22") || code.startsWith("23"));
}

function sqlState(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Object && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
