import { getTableColumns } from "drizzle-orm";
import type { CallRecord } from "../core/index.js";
import { type AttemptInsertRow, type CallInsertRow, toAttemptRow, toCallRow } from "./call-record-rows.js";
import type { DrizzleDb } from "./database.js";
import { callAttempts, calls } from "./schema/index.js";

/** Postgres's bind-parameter limit per statement (a 16-bit count in the wire protocol). */
const MAX_PARAMETERS = 65_535;
const callRowsPerStatement = Math.floor(MAX_PARAMETERS / Object.keys(getTableColumns(calls)).length);
const attemptRowsPerStatement = Math.floor(MAX_PARAMETERS / Object.keys(getTableColumns(callAttempts)).length);

/**
 * Writes calls and their attempts in one transaction with multi-row INSERTs. Ids that are
 * already stored are skipped (a retry after an ambiguous commit, or a duplicate record), and
 * so are their attempts: they were committed with their call. Returns how many calls were new.
 */
export async function insertCallBatch(db: DrizzleDb, records: readonly CallRecord[]): Promise<number> {
  const unique = new Map<string, CallRecord>();
  for (const record of records) if (!unique.has(record.id)) unique.set(record.id, record);
  const callRows: CallInsertRow[] = [];
  for (const record of unique.values()) callRows.push(toCallRow(record));

  return db.transaction(async (tx) => {
    const inserted = new Set<string>();
    for (const chunk of chunks(callRows, callRowsPerStatement)) {
      const rows = await tx.insert(calls).values(chunk).onConflictDoNothing({ target: calls.id }).returning({ id: calls.id });
      for (const row of rows) inserted.add(row.id);
    }
    const attemptRows: AttemptInsertRow[] = [];
    for (const id of inserted) {
      const record = unique.get(id);
      if (record) for (const attempt of record.attempts) attemptRows.push(toAttemptRow(id, attempt));
    }
    for (const chunk of chunks(attemptRows, attemptRowsPerStatement)) {
      await tx.insert(callAttempts).values(chunk).onConflictDoNothing();
    }
    return inserted.size;
  });
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}
