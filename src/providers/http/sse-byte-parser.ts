import { SseError, type SseEvent } from "./sse-event.js";

const LF = 10;
const CR = 13;
const SPACE = 32;
const COLON = 58;

export interface SseByteParserOptions {
  onEvent(event: SseEvent): void;
  /** A line naming no field SSE knows (Gemini's bare JSON); dropped when absent. */
  onUnknownLine?: ((line: string) => void) | undefined;
  /** Bytes an unfinished line plus the event's data may hold before SseError is thrown. */
  maxBufferSize: number;
}

const asBuffer = (chunk: Uint8Array): Buffer => (Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));

/**
 * The SSE line grammar read on the response's bytes: line ends (LF, CR, CRLF, also split across
 * chunks) and field names are found on bytes, and only a field's value is decoded (UTF-8, malformed
 * bytes as U+FFFD as TextDecoder does: a line never splits a character, as its end is ASCII). The
 * rules are eventsource-parser's (3.1), which the parity test runs beside it: a blank line dispatches
 * an event that has data, `data:` lines join with `\n`, an empty `event:` is no name, an `id` holding
 * NUL is ignored, comments and `retry` are dropped, a leading byte order mark is dropped.
 *
 * Decoding each chunk to a string first (StringDecoder, then the parser's line slices) made ~12 kB
 * of text per 6 kB OpenAI stream (one non-Latin-1 character makes the whole chunk's string two bytes
 * a character) before any JSON was read; here a 20-event stream allocates only its payloads' strings
 * (bench/stream-decode-cost.ts: see docs/architecture.md "Provider streams").
 */
export class SseByteParser {
  readonly #onEvent: (event: SseEvent) => void;
  readonly #onUnknownLine: ((line: string) => void) | undefined;
  readonly #maxBufferSize: number;
  // The start of an unfinished line: the chunks it came in, each from its offset in #pendingFrom
  // (offsets rather than subarray views: a Buffer view costs a species construction, ~6% of a stream's CPU cut in 64-byte chunks).
  readonly #pending: Buffer[] = [];
  readonly #pendingFrom: number[] = [];
  #pendingLength = 0;
  // A line ended at a chunk's last byte, a CR: an LF opening the next chunk belongs to it.
  #afterCr = false;
  // The first bytes, held until they show whether the stream opens with a byte order mark.
  #head: Buffer | undefined = Buffer.alloc(0);
  #data = "";
  #dataLines = 0;
  #event: string | undefined;
  #id: string | undefined;

  constructor(options: SseByteParserOptions) {
    this.#onEvent = options.onEvent;
    this.#onUnknownLine = options.onUnknownLine;
    this.#maxBufferSize = options.maxBufferSize;
  }

  write(chunk: Uint8Array): void {
    let bytes = asBuffer(chunk);
    if (this.#head !== undefined) {
      const head = this.#head.length === 0 ? bytes : Buffer.concat([this.#head, bytes]);
      if (head.length < 3 && head.every((byte, i) => byte === BOM[i])) {
        this.#head = Buffer.from(head);
        return;
      }
      this.#head = undefined;
      bytes = head[0] === BOM[0] && head[1] === BOM[1] && head[2] === BOM[2] ? head.subarray(3) : head;
    }
    if (bytes.length === 0) return;
    let at = 0;
    if (this.#afterCr) {
      this.#afterCr = false;
      if (bytes[0] === LF) at = 1;
    }
    const hasCr = bytes.indexOf(CR, at) !== -1;
    if (this.#pendingLength > 0) {
      const end = this.#lineEnd(bytes, at, hasCr);
      if (end === -1) {
        this.#hold(bytes, at);
        return;
      }
      const line = this.#takePending(bytes, at, end);
      this.#line(line, 0, line.length);
      at = this.#next(bytes, end);
    }
    // The common case: LF only, one indexOf per line.
    if (!hasCr) {
      let end = bytes.indexOf(LF, at);
      while (end !== -1) {
        this.#line(bytes, at, end);
        at = end + 1;
        end = bytes.indexOf(LF, at);
      }
    } else {
      // The next LF and CR are each searched again only once passed (a CR-only stream would rescan for an LF per line).
      let lf = bytes.indexOf(LF, at);
      let cr = bytes.indexOf(CR, at);
      for (;;) {
        if (lf !== -1 && lf < at) lf = bytes.indexOf(LF, at);
        if (cr !== -1 && cr < at) cr = bytes.indexOf(CR, at);
        const end = lf === -1 ? cr : cr === -1 || lf < cr ? lf : cr;
        if (end === -1) break;
        this.#line(bytes, at, end);
        at = this.#next(bytes, end);
      }
    }
    if (at < bytes.length) this.#hold(bytes, at);
    else this.#check();
  }

  /** The bytes ended: a last line without its end is read as a line; an event not closed by a blank line is dropped. */
  end(): void {
    const head = this.#head;
    if (head !== undefined) {
      this.#head = undefined;
      if (head.length > 0) this.write(head);
    }
    if (this.#pendingLength > 0) {
      const line = this.#takePending(undefined, 0, 0);
      this.#line(line, 0, line.length);
    }
    this.#data = "";
    this.#dataLines = 0;
    this.#event = undefined;
    this.#id = undefined;
  }

  #lineEnd(bytes: Buffer, from: number, hasCr: boolean): number {
    const lf = bytes.indexOf(LF, from);
    if (!hasCr) return lf;
    const cr = bytes.indexOf(CR, from);
    if (cr === -1) return lf;
    return lf === -1 || cr < lf ? cr : lf;
  }

  /** Where the line after the one ending at `end` starts (past a CRLF pair); a CR at the chunk's end waits for the next one's LF. */
  #next(bytes: Buffer, end: number): number {
    if (bytes[end] !== CR) return end + 1;
    if (end + 1 === bytes.length) {
      this.#afterCr = true;
      return end + 1;
    }
    return bytes[end + 1] === LF ? end + 2 : end + 1;
  }

  /** Holds `bytes` from `from` on, not copied: a body's chunks are the reader's (Node's streams never reuse them). */
  #hold(bytes: Buffer, from: number): void {
    this.#pending.push(bytes);
    this.#pendingFrom.push(from);
    this.#pendingLength += bytes.length - from;
    this.#check();
  }

  /** The held start of a line and its rest, `last` from `from` to `to`, in one buffer; nothing is held after. */
  #takePending(last: Buffer | undefined, from: number, to: number): Buffer {
    const line = Buffer.allocUnsafe(this.#pendingLength + to - from);
    let at = 0;
    for (let i = 0; i < this.#pending.length; i++) at += this.#pending[i]!.copy(line, at, this.#pendingFrom[i]);
    last?.copy(line, at, from, to);
    this.#pending.length = 0;
    this.#pendingFrom.length = 0;
    this.#pendingLength = 0;
    return line;
  }

  #check(): void {
    if (this.#pendingLength + this.#data.length <= this.#maxBufferSize) return;
    this.#pending.length = 0;
    this.#pendingFrom.length = 0;
    this.#pendingLength = 0;
    this.#data = "";
    this.#dataLines = 0;
    throw new SseError(`Buffered data exceeded max buffer size of ${this.#maxBufferSize} bytes`);
  }

  #line(bytes: Buffer, start: number, end: number): void {
    if (start === end) {
      if (this.#dataLines > 0) this.#onEvent({ id: this.#id, event: this.#event, data: this.#data });
      this.#data = "";
      this.#dataLines = 0;
      this.#event = undefined;
      this.#id = undefined;
      return;
    }
    const first = bytes[start];
    if (first === COLON) return;
    // `data:`, `event:` and `id:` are found on bytes; any other line is read as text, as it is rare.
    if (first === 0x64 && bytes[start + 1] === 0x61 && bytes[start + 2] === 0x74 && bytes[start + 3] === 0x61 && bytes[start + 4] === COLON) {
      this.#addData(bytes.toString("utf8", bytes[start + 5] === SPACE ? start + 6 : start + 5, end));
      return;
    }
    const line = bytes.toString("utf8", start, end);
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? "" : line.slice(line.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1);
    switch (field) {
      case "data":
        this.#addData(value);
        break;
      case "event":
        this.#event = value === "" ? undefined : value;
        break;
      case "id":
        if (!value.includes("\0")) this.#id = value;
        break;
      case "retry":
        break;
      default:
        this.#onUnknownLine?.(line);
    }
  }

  #addData(value: string): void {
    this.#data = this.#dataLines === 0 ? value : `${this.#data}\n${value}`;
    this.#dataLines++;
  }
}

const BOM = [0xef, 0xbb, 0xbf] as const;
