import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { CsvParseError, parseCsv } from "./parse-csv.js";

/** One prompt of a routing data file; the outcomes are there only in files made for training or evaluation. */
export interface RoutingRow {
  prompt: string;
  /** The MMLU subject, when the file has a `domain` column (training may use it; scoring never does). */
  domain?: string;
  weakCorrect?: boolean;
  strongCorrect?: boolean;
}

export interface RoutingDataset {
  /** The file's base name without `.csv` ("mmlu_dev"): what reports and the router file call it. */
  name: string;
  rows: RoutingRow[];
}

/** A routing data file that cannot be used: names the file, the line or column, and what is wrong. */
export class RoutingDataError extends Error {
  override readonly name = "RoutingDataError";
  constructor(readonly file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
  }

  static isInstance(error: unknown): error is RoutingDataError {
    return error instanceof RoutingDataError;
  }
}

const TRUE_VALUES = new Set(["true", "1", "yes"]);
const FALSE_VALUES = new Set(["false", "0", "no"]);

export interface ParseRoutingCsvOptions {
  /** Demand `weak_correct` and `strong_correct` on every row (training, evaluation). */
  requireOutcomes: boolean;
}

export function parseRoutingCsv(file: string, text: string, options: ParseRoutingCsvOptions): RoutingDataset {
  let records: string[][];
  try {
    records = parseCsv(text);
  } catch (error) {
    if (CsvParseError.isInstance(error)) throw new RoutingDataError(file, `not valid CSV at ${error.message}`, { cause: error });
    throw error;
  }
  const header = records[0];
  if (header === undefined) throw new RoutingDataError(file, "the file is empty (a header with a `prompt` column is needed)");
  const column = (name: string): number => header.findIndex((h) => h.trim().toLowerCase() === name);
  const promptAt = column("prompt");
  if (promptAt < 0) throw new RoutingDataError(file, `no \`prompt\` column in the header (${header.join(", ")})`);
  const domainAt = column("domain");
  const weakAt = column("weak_correct");
  const strongAt = column("strong_correct");
  if (options.requireOutcomes && (weakAt < 0 || strongAt < 0)) {
    throw new RoutingDataError(file, "the `weak_correct` and `strong_correct` columns are needed for training and evaluation");
  }
  const rows: RoutingRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const record = records[r]!;
    if (record.length === 1 && record[0] === "") continue;
    const prompt = record[promptAt];
    if (prompt === undefined) throw new RoutingDataError(file, `row ${r}: ${record.length} fields, but the prompt is field ${promptAt + 1}`);
    const row: RoutingRow = { prompt };
    if (domainAt >= 0 && record[domainAt] !== undefined) row.domain = record[domainAt];
    if (weakAt >= 0 && strongAt >= 0 && (options.requireOutcomes || record[weakAt] !== undefined)) {
      row.weakCorrect = parseOutcome(file, r, "weak_correct", record[weakAt]);
      row.strongCorrect = parseOutcome(file, r, "strong_correct", record[strongAt]);
    }
    rows.push(row);
  }
  return { name: basename(file).replace(/\.csv$/i, ""), rows };
}

export function readRoutingCsv(file: string, options: ParseRoutingCsvOptions): RoutingDataset {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new RoutingDataError(file, `cannot read the file (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
  return parseRoutingCsv(file, text, options);
}

function parseOutcome(file: string, row: number, column: string, value: string | undefined): boolean {
  const normalized = value?.trim().toLowerCase() ?? "";
  if (TRUE_VALUES.has(normalized)) return true;
  if (FALSE_VALUES.has(normalized)) return false;
  throw new RoutingDataError(file, `row ${row}: ${column} is ${JSON.stringify(value ?? "")}, expected True or False`);
}
