/** A value of one column in a COPY text-format row: null is SQL NULL, booleans become t/f. */
export type CopyTextValue = string | number | boolean | null;

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPABLE = /[\\\t\n\r]/g;
const ESCAPES: Readonly<Record<string, string>> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/**
 * One line of `COPY … FROM STDIN` in the default text format: tab-separated, `\N` for NULL,
 * and backslash, tab, newline and carriage return escaped inside strings, so any text
 * (a literal "\N" included) arrives unchanged. Numbers are written as JavaScript prints them,
 * which Postgres reads back exactly for integer, numeric and float8 columns.
 */
export function copyTextRow(values: ReadonlyArray<CopyTextValue>): string {
  let line = "";
  for (let i = 0; i < values.length; i++) {
    if (i > 0) line += "\t";
    line += copyTextField(values[i] ?? null);
  }
  return `${line}\n`;
}

function copyTextField(value: CopyTextValue): string {
  if (value === null) return COPY_NULL;
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "number") return String(value);
  return copyTextEscape(value);
}

/** COPY text's NULL. */
export const COPY_NULL = "\\N";

/** A string as a COPY text field: backslash, tab, newline and carriage return escaped. */
export function copyTextEscape(value: string): string {
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPABLE, (character) => ESCAPES[character] ?? character) : value;
}
