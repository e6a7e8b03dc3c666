import { type SQL, getTableColumns, getTableName, sql } from "drizzle-orm";
import { PgDialect, type PgTable } from "drizzle-orm/pg-core";
import type { CallRecord } from "../core/index.js";
import { type AttemptJsonRow, type CallJsonRow, toAttemptJsonRow, toCallJsonRow } from "./call-record-rows.js";
import { copyCallBatch } from "./copy-call-batch.js";
import { insertRollupIncrements } from "./insert-rollup-increments.js";
import { CallWriteError, rootCauseMessage } from "./call-write-error.js";
import { sanitizeCallRecord } from "./sanitize-call-record.js";
import { type AttemptRollupJsonRow, buildAttemptRollupRows } from "./build-attempt-rollup-rows.js";
import { type CallRollupJsonRow, buildCallRollupRows } from "./build-call-rollup-rows.js";
import type { DrizzleDb } from "./database.js";
import { callAttempts, calls } from "./schema/index.js";

/** Bounds one statement's JSON document; a batch of the default size fits in one. */
const ROWS_PER_STATEMENT = 2_000;

// The statements' text is built once: drizzle's SQL builder walks every identifier of a column list
// (40 of them for `calls`, twice) each time a statement is rendered, which cost more CPU per batch than
// the rest of the batch's SQL. Each batch only renders its JSON parameters between these fixed parts.
const dialect = new PgDialect();
const name = (identifier: string): string => dialect.escapeName(identifier);
const columnList = (table: PgTable): string =>
  Object.values(getTableColumns(table))
    .map((column) => name(column.name))
    .join(", ");
const fromRecordset = (table: PgTable): string => `insert into ${name(getTableName(table))} (${columnList(table)})
        select ${columnList(table)} from json_populate_recordset(null::${name(getTableName(table))}, `;
const INSERT_CALLS = sql.raw(fromRecordset(calls));
const INSERT_CALLS_END = sql.raw(`::json)
        on conflict (${name(calls.id.name)}, ${name(calls.createdAt.name)}) do nothing
        returning ${name(calls.id.name)}`);
const INSERT_ATTEMPTS = sql.raw(fromRecordset(callAttempts));
const INSERT_ATTEMPTS_END = sql.raw(`::json)
        on conflict do nothing`);
const insertCalls = (rows: string): SQL => sql`${INSERT_CALLS}${rows}${INSERT_CALLS_END}`;
const insertAttempts = (rows: string): SQL => sql`${INSERT_ATTEMPTS}${rows}${INSERT_ATTEMPTS_END}`;

/**
 * Writes calls and their attempts in one transaction, with the batch's rollup increments. Two ways:
 *
 * - *Copied* (copyCallBatch), the usual batch, every call new: `COPY … FROM STDIN` of the calls, then of
 *   their attempts, then the increments of every call. COPY has no ON CONFLICT, so a call stored already
 *   (a retry after an ambiguous commit, a replayed spill file) fails the transaction with a unique
 *   violation and nothing of it is kept; so does any data the database refuses. Either way the batch is
 *   then written the careful way, which skips or isolates what it must exactly as before.
 * - *Careful*: one multi-row INSERT … SELECT per table and chunk, rows as a single JSON parameter read by
 *   json_populate_recordset (building a VALUES list with drizzle costs 50–100 ms per 500 rows, and one
 *   parameter keeps every statement far from Postgres's 65,535-parameter limit). Ids already stored are
 *   skipped (ON CONFLICT DO NOTHING), and so are their attempts and their share of the rollups: those
 *   were committed with their call. The increments are built only from the ids the insert returned, so
 *   a call is counted once.
 *
 * The increments go in as one `call_rollup_deltas` row; the rollup merger folds them into `call_rollups`
 * off this path (merge-rollup-deltas.ts), and usage reads count the rows not yet merged, so reports
 * stay exact. Returns how many calls were new.
 */
export async function insertCallBatch(db: DrizzleDb, records: readonly CallRecord[]): Promise<number> {
  const unique = new Map<string, CallRecord>();
  for (const record of records) if (!unique.has(record.id)) unique.set(record.id, sanitizeCallRecord(record));
  return (await copyCallBatch(db, unique)) ?? insertCarefully(db, unique);
}

/** The careful way (see insertCallBatch). */
async function insertCarefully(db: DrizzleDb, unique: Map<string, CallRecord>): Promise<number> {
  // Serialized before the transaction opens, so a record that cannot be (metadata nested deeper
  // than JSON.stringify's stack) costs no round trip and is named, not just its batch.
  const callChunks: string[] = [];
  for (const chunk of chunks([...unique.values()], ROWS_PER_STATEMENT)) callChunks.push(serializeCallRows(chunk));

  return db.transaction(async (tx) => {
    const inserted: string[] = [];
    let likelyRollups: { calls: CallRollupJsonRow[]; attempts: AttemptRollupJsonRow[] } | undefined;
    for (const chunk of callChunks) {
      // drizzle's query promise runs again on every then(): settle it once.
      const pending = Promise.resolve(tx.execute<{ id: string }>(insertCalls(chunk)));
      if (likelyRollups === undefined) {
        // While the server inserts, aggregate the usual outcome (every call new): the writer's
        // throughput depends on this work overlapping the round trip.
        pending.catch(() => undefined);
        await new Promise((resolve) => setImmediate(resolve));
        likelyRollups = { calls: buildCallRollupRows(unique.values()), attempts: buildAttemptRollupRows(unique.values()) };
      }
      for (const row of rowsOf<{ id: string }>(await pending)) inserted.push(row.id);
    }
    const attemptRows: AttemptJsonRow[] = [];
    const stored: CallRecord[] = [];
    for (const id of inserted) {
      const record = unique.get(id) ?? findIgnoringCase(unique, id);
      if (!record) continue;
      stored.push(record);
      for (const attempt of record.attempts) attemptRows.push(toAttemptJsonRow(id, attempt));
    }
    for (const chunk of chunks(attemptRows, ROWS_PER_STATEMENT)) {
      await tx.execute(insertAttempts(JSON.stringify(chunk)));
    }
    const everyCallNew = stored.length === unique.size && likelyRollups !== undefined;
    const increments = everyCallNew && likelyRollups ? likelyRollups : { calls: buildCallRollupRows(stored), attempts: buildAttemptRollupRows(stored) };
    await insertRollupIncrements(tx, increments);
    return inserted.length;
  });
}

/**
 * One JSON array of `calls` rows. The whole array in one JSON.stringify is the fast path (about a
 * third cheaper than row by row); only when it fails are the rows serialized one by one, which names
 * the culprit.
 */
function serializeCallRows(records: readonly CallRecord[]): string {
  const rows: CallJsonRow[] = [];
  for (const record of records) rows.push(attempt(record, () => toCallJsonRow(record)));
  try {
    return JSON.stringify(rows);
  } catch {
    // Row by row is one level shallower: a row right at the stack's limit may pass on its own.
    return `[${rows.map((row, index) => attempt(records[index]!, () => JSON.stringify(row))).join(",")}]`;
  }
}

function attempt<T>(record: CallRecord, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw new CallWriteError(`call ${record.id} cannot be serialized: ${rootCauseMessage(error)}`, { cause: error, callId: record.id });
  }
}

/** Both drivers (node-postgres and PGlite) answer `execute` with `{ rows }`. */
function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

/** Postgres returns UUIDs in lower case; a caller may have recorded one in upper case. */
function findIgnoringCase(records: Map<string, CallRecord>, id: string): CallRecord | undefined {
  for (const [key, record] of records) if (key.toLowerCase() === id) return record;
  return undefined;
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}
