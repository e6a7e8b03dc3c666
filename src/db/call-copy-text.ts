import { getTableColumns, getTableName } from "drizzle-orm";
import { PgDialect, type PgTable } from "drizzle-orm/pg-core";
import type { AttemptRecord, CallRecord } from "../core/index.js";
import { toAttemptJsonRow, toCallJsonRow } from "./call-record-rows.js";
import { COPY_NULL, copyTextEscape } from "./copy-text-row.js";
import type { RollupIncrements } from "./insert-rollup-increments.js";
import { callAttempts, callRollupDeltas, calls } from "./schema/index.js";

/**
 * Calls, attempts and rollup increments as `COPY … FROM STDIN` text rows. Calls and attempts are the same rows as the JSON the careful path sends
 * (toCallJsonRow, toAttemptJsonRow), each value written as json_populate_recordset would store it from
 * that JSON. Only values whose stored form is certain are written; anything else (an object in a plain
 * column, a bigint, a string that is not well-formed UTF-16) throws UnsureValueError, and the batch goes
 * the careful way, which stores or refuses it exactly as before.
 */
export class UnsureValueError extends Error {
  override readonly name = "UnsureValueError";
}

interface CopyTable {
  /** `copy "calls" ("id", …)`, without its FROM. */
  statement: string;
  /** Per column, in the row objects' own key order: a json or jsonb column, whose value is the JSON text of the value. */
  document: readonly boolean[];
}

const dialect = new PgDialect();

/**
 * The COPY of `table` with its columns in the key order of `sample`, a row as toCallJsonRow or
 * toAttemptJsonRow makes it (every row they make has that order), so a row's values are read in
 * order (for…in) rather than looked up by name: the calls' text took 2.8–3.2 µs per call instead of 3.7–4.0
 * (bench/call-batch-build.ts, alternating runs), the attempts' about the same.
 */
function copyTable(table: PgTable, sample: Record<string, unknown>): CopyTable {
  const byName = new Map(Object.values(getTableColumns(table)).map((column) => [column.name, column]));
  const names = Object.keys(sample);
  if (names.length !== byName.size || names.some((name) => !byName.has(name))) throw new Error(`the ${getTableName(table)} rows do not hold its columns`);
  return {
    statement: `copy ${dialect.escapeName(getTableName(table))} (${names.map((name) => dialect.escapeName(name)).join(", ")})`,
    document: names.map((name) => ["PgJsonb", "PgJson"].includes(byName.get(name)!.columnType)),
  };
}

// A record with nothing but what the row functions cannot do without.
const EMPTY = { createdAt: new Date(0), costPico: 0n, attempts: [] } as unknown as CallRecord;
const CALLS = copyTable(calls, toCallJsonRow(EMPTY));
const ATTEMPTS = copyTable(callAttempts, toAttemptJsonRow("", { startedAt: new Date(0), costPico: 0n } as AttemptRecord));

export const COPY_CALLS = CALLS.statement;
export const COPY_ATTEMPTS = ATTEMPTS.statement;
/** A batch's rollup increments: one `call_rollup_deltas` row (its id and time from the defaults). */
export const COPY_INCREMENTS = `copy ${dialect.escapeName(getTableName(callRollupDeltas))} (${dialect.escapeName(callRollupDeltas.rollupRows.name)}, ${dialect.escapeName(callRollupDeltas.attemptRows.name)})`;

/** The `calls` rows of `records`, one COPY text line each. */
export function callsCopyText(records: Iterable<CallRecord>): string {
  let text = "";
  for (const record of records) text += copyLine(CALLS, toCallJsonRow(record) as Record<string, unknown>);
  return text;
}

/** The `call_attempts` rows of every attempt of `records`. */
export function attemptsCopyText(records: Iterable<CallRecord>): string {
  let text = "";
  for (const record of records) {
    for (const attempt of record.attempts) text += copyLine(ATTEMPTS, toAttemptJsonRow(record.id, attempt) as Record<string, unknown>);
  }
  return text;
}

/** The increments' `call_rollup_deltas` row: the two JSON documents insertRollupIncrements sends. */
export function incrementsCopyText(increments: RollupIncrements): string {
  return `${copyTextEscape(JSON.stringify(increments.calls))}\t${copyTextEscape(JSON.stringify(increments.attempts))}\n`;
}

function copyLine(table: CopyTable, row: Record<string, unknown>): string {
  let line = "";
  let i = 0;
  for (const name in row) {
    const value = row[name];
    if (i > 0) line += "\t";
    line += table.document[i] ? documentField(value) : plainField(value);
    i += 1;
  }
  return `${line}\n`;
}

/** A value of a plain column: what json_populate_recordset makes of its JSON (a missing key, null, NaN: NULL). */
function plainField(value: unknown): string {
  switch (typeof value) {
    case "string":
      return stringField(value);
    case "number":
      return Number.isFinite(value) ? String(value) : COPY_NULL;
    case "boolean":
      // As JSON puts it: a boolean column reads it, a text column keeps the word.
      return value ? "true" : "false";
    case "undefined":
      return COPY_NULL;
    default:
      if (value === null) return COPY_NULL;
      throw new UnsureValueError(`a ${typeof value} value in a plain column`);
  }
}

/** A json or jsonb column's value: its JSON text (JSON null and a missing key: NULL). */
function documentField(value: unknown): string {
  if (value === null || value === undefined) return COPY_NULL;
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new UnsureValueError("a document that does not serialize", { cause: error });
  }
  if (json === undefined || json === "null") return COPY_NULL;
  return stringField(json);
}

function stringField(value: string): string {
  // A lone surrogate has no UTF-8 form: the careful path names the error the database gives for it.
  if (!(value as string & { isWellFormed(): boolean }).isWellFormed()) throw new UnsureValueError("a string that is not well-formed");
  return copyTextEscape(value);
}
