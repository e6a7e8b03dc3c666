/** A CSV text that does not follow RFC 4180, with the 1-based line where the problem starts. */
export class CsvParseError extends Error {
  override readonly name = "CsvParseError";
  constructor(message: string, readonly line: number) {
    super(`line ${line}: ${message}`);
  }

  static isInstance(error: unknown): error is CsvParseError {
    return error instanceof CsvParseError;
  }
}

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

/**
 * RFC 4180 records: fields separated by commas, records by CRLF or LF; a quoted field may hold
 * commas, line breaks and doubled quotes. A byte-order mark and a final line break are ignored.
 * No CSV package is installed and the routing data's prompts carry quotes and newlines, so this
 * is written out (and tested against those cases) rather than split on commas.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let line = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let fieldStarted = false;
  const endField = (): void => {
    record.push(field);
    field = "";
    fieldStarted = false;
  };
  const endRecord = (): void => {
    endField();
    records.push(record);
    record = [];
  };
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === QUOTE && !fieldStarted && field === "") {
      const startLine = line;
      i++;
      for (;;) {
        if (i >= text.length) throw new CsvParseError("a quoted field is never closed", startLine);
        const q = text.indexOf('"', i);
        if (q < 0) throw new CsvParseError("a quoted field is never closed", startLine);
        const chunk = text.slice(i, q);
        line += countLineBreaks(chunk);
        field += chunk;
        if (text.charCodeAt(q + 1) === QUOTE) {
          field += '"';
          i = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fieldStarted = true;
      const next = text.charCodeAt(i);
      if (i < text.length && next !== COMMA && next !== CR && next !== LF) {
        throw new CsvParseError("text after the closing quote of a field", line);
      }
      continue;
    }
    if (c === COMMA) {
      endField();
      i++;
    } else if (c === CR || c === LF) {
      endRecord();
      i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
      line++;
    } else {
      if (c === QUOTE) throw new CsvParseError("a quote inside an unquoted field", line);
      field += text[i];
      fieldStarted = true;
      i++;
    }
  }
  if (fieldStarted || field !== "" || record.length > 0) endRecord();
  return records;
}

function countLineBreaks(chunk: string): number {
  let n = 0;
  for (let i = 0; i < chunk.length; i++) {
    const c = chunk.charCodeAt(i);
    if (c === LF || (c === CR && chunk.charCodeAt(i + 1) !== LF)) n++;
  }
  return n;
}
