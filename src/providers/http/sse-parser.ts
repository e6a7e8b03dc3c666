import { ParseError, type EventSourceMessage, type EventSourceParser } from "eventsource-parser";

const LF = 10;
const CR = 13;
const SPACE = 32;

export interface SseParserCallbacks {
  onEvent(event: EventSourceMessage): void;
  onError(error: ParseError): void;
}

/**
 * eventsource-parser's `createParser` (3.1.1) as one object: the same lines, fields, events and
 * errors, its state in fields instead of a closure scope with a dozen closures (~1 kB per parser,
 * held by every open stream). Retry and comment lines are parsed and dropped (no callbacks for them).
 */
export class SseParser implements EventSourceParser {
  readonly #callbacks: SseParserCallbacks;
  readonly #maxBufferSize: number | undefined;
  #pendingFragments: string[] = [];
  #pendingFragmentsLength = 0;
  #isFirstChunk = true;
  #id: string | undefined = undefined;
  #data = "";
  #dataLines = 0;
  #eventType: string | undefined = undefined;
  #terminated = false;

  constructor(callbacks: SseParserCallbacks, maxBufferSize?: number) {
    this.#callbacks = callbacks;
    this.#maxBufferSize = maxBufferSize;
  }

  feed(chunk: string): void {
    if (this.#terminated) {
      throw new Error("Cannot feed parser: it was terminated after exceeding the configured max buffer size. Call `reset()` to resume parsing.");
    }
    if (this.#isFirstChunk) {
      this.#isFirstChunk = false;
      if (chunk.charCodeAt(0) === 239 && chunk.charCodeAt(1) === 187 && chunk.charCodeAt(2) === 191) chunk = chunk.slice(3);
    }
    const pending = this.#pendingFragments;
    if (pending.length === 0) {
      const trailing = this.#processLines(chunk);
      if (trailing !== "") {
        pending.push(trailing);
        this.#pendingFragmentsLength = trailing.length;
      }
      this.#checkBufferSize();
      return;
    }
    if (chunk.indexOf("\n") === -1 && chunk.indexOf("\r") === -1) {
      pending.push(chunk);
      this.#pendingFragmentsLength += chunk.length;
      this.#checkBufferSize();
      return;
    }
    pending.push(chunk);
    const input = pending.join("");
    pending.length = 0;
    this.#pendingFragmentsLength = 0;
    const trailing = this.#processLines(input);
    if (trailing !== "") {
      pending.push(trailing);
      this.#pendingFragmentsLength = trailing.length;
    }
    this.#checkBufferSize();
  }

  reset(options: { consume?: boolean } = {}): void {
    if (options.consume && this.#pendingFragments.length > 0) {
      const incompleteLine = this.#pendingFragments.join("");
      this.#parseLine(incompleteLine, 0, incompleteLine.length);
    }
    this.#isFirstChunk = true;
    this.#clearEvent();
    this.#pendingFragments.length = 0;
    this.#pendingFragmentsLength = 0;
    this.#terminated = false;
  }

  #clearEvent(): void {
    this.#id = undefined;
    this.#data = "";
    this.#dataLines = 0;
    this.#eventType = undefined;
  }

  #checkBufferSize(): void {
    const max = this.#maxBufferSize;
    if (max === undefined || this.#pendingFragmentsLength + this.#data.length <= max) return;
    this.#terminated = true;
    this.#pendingFragments.length = 0;
    this.#pendingFragmentsLength = 0;
    this.#clearEvent();
    this.#callbacks.onError(new ParseError(`Buffered data exceeded max buffer size of ${max} characters`, { type: "max-buffer-size-exceeded" }));
  }

  #addData(value: string): void {
    this.#data = this.#dataLines === 0 ? value : `${this.#data}\n${value}`;
    this.#dataLines++;
  }

  #processLines(chunk: string): string {
    let searchIndex = 0;
    if (chunk.indexOf("\r") === -1) {
      let lfIndex = chunk.indexOf("\n", searchIndex);
      while (lfIndex !== -1) {
        if (searchIndex === lfIndex) {
          if (this.#dataLines > 0) this.#callbacks.onEvent({ id: this.#id, event: this.#eventType, data: this.#data });
          this.#clearEvent();
          searchIndex = lfIndex + 1;
          lfIndex = chunk.indexOf("\n", searchIndex);
          continue;
        }
        const firstCharCode = chunk.charCodeAt(searchIndex);
        if (isDataPrefix(chunk, searchIndex, firstCharCode)) {
          const valueStart = chunk.charCodeAt(searchIndex + 5) === SPACE ? searchIndex + 6 : searchIndex + 5;
          const value = chunk.slice(valueStart, lfIndex);
          if (this.#dataLines === 0 && chunk.charCodeAt(lfIndex + 1) === LF) {
            this.#callbacks.onEvent({ id: this.#id, event: this.#eventType, data: value });
            this.#id = undefined;
            this.#data = "";
            this.#eventType = undefined;
            searchIndex = lfIndex + 2;
            lfIndex = chunk.indexOf("\n", searchIndex);
            continue;
          }
          this.#addData(value);
        } else if (isEventPrefix(chunk, searchIndex, firstCharCode)) {
          this.#eventType = chunk.slice(chunk.charCodeAt(searchIndex + 6) === SPACE ? searchIndex + 7 : searchIndex + 6, lfIndex) || undefined;
        } else this.#parseLine(chunk, searchIndex, lfIndex);
        searchIndex = lfIndex + 1;
        lfIndex = chunk.indexOf("\n", searchIndex);
      }
      return chunk.slice(searchIndex);
    }
    while (searchIndex < chunk.length) {
      const crIndex = chunk.indexOf("\r", searchIndex);
      const lfIndex = chunk.indexOf("\n", searchIndex);
      let lineEnd = -1;
      if (crIndex !== -1 && lfIndex !== -1) lineEnd = crIndex < lfIndex ? crIndex : lfIndex;
      else if (crIndex !== -1) lineEnd = crIndex === chunk.length - 1 ? -1 : crIndex;
      else if (lfIndex !== -1) lineEnd = lfIndex;
      if (lineEnd === -1) break;
      this.#parseLine(chunk, searchIndex, lineEnd);
      searchIndex = lineEnd + 1;
      if (chunk.charCodeAt(searchIndex - 1) === CR && chunk.charCodeAt(searchIndex) === LF) searchIndex++;
    }
    return chunk.slice(searchIndex);
  }

  #parseLine(chunk: string, start: number, end: number): void {
    if (start === end) {
      if (this.#dataLines > 0) this.#callbacks.onEvent({ id: this.#id, event: this.#eventType, data: this.#data });
      this.#clearEvent();
      return;
    }
    const firstCharCode = chunk.charCodeAt(start);
    if (isDataPrefix(chunk, start, firstCharCode)) {
      this.#addData(chunk.slice(chunk.charCodeAt(start + 5) === SPACE ? start + 6 : start + 5, end));
      return;
    }
    if (isEventPrefix(chunk, start, firstCharCode)) {
      this.#eventType = chunk.slice(chunk.charCodeAt(start + 6) === SPACE ? start + 7 : start + 6, end) || undefined;
      return;
    }
    if (firstCharCode === 105 && chunk.charCodeAt(start + 1) === 100 && chunk.charCodeAt(start + 2) === 58) {
      const value = chunk.slice(chunk.charCodeAt(start + 3) === SPACE ? start + 4 : start + 3, end);
      if (!value.includes("\0")) this.#id = value;
      return;
    }
    if (firstCharCode === 58) return; // a comment
    const line = chunk.slice(start, end);
    const separator = line.indexOf(":");
    if (separator === -1) {
      this.#processField(line, "", line);
      return;
    }
    const offset = line.charCodeAt(separator + 1) === SPACE ? 2 : 1;
    this.#processField(line.slice(0, separator), line.slice(separator + offset), line);
  }

  #processField(field: string, value: string, line: string): void {
    switch (field) {
      case "event":
        this.#eventType = value || undefined;
        break;
      case "data":
        this.#addData(value);
        break;
      case "id":
        if (!value.includes("\0")) this.#id = value;
        break;
      case "retry":
        if (!/^\d+$/.test(value)) this.#callbacks.onError(new ParseError(`Invalid \`retry\` value: "${value}"`, { type: "invalid-retry", value, line }));
        break;
      default:
        this.#callbacks.onError(
          new ParseError(`Unknown field "${field.length > 20 ? `${field.slice(0, 20)}\u2026` : field}"`, { type: "unknown-field", field, value, line }),
        );
        break;
    }
  }
}

function isDataPrefix(chunk: string, i: number, firstCharCode: number): boolean {
  return firstCharCode === 100 && chunk.charCodeAt(i + 1) === 97 && chunk.charCodeAt(i + 2) === 116 && chunk.charCodeAt(i + 3) === 97 && chunk.charCodeAt(i + 4) === 58;
}

function isEventPrefix(chunk: string, i: number, firstCharCode: number): boolean {
  return (
    firstCharCode === 101 &&
    chunk.charCodeAt(i + 1) === 118 &&
    chunk.charCodeAt(i + 2) === 101 &&
    chunk.charCodeAt(i + 3) === 110 &&
    chunk.charCodeAt(i + 4) === 116 &&
    chunk.charCodeAt(i + 5) === 58
  );
}
