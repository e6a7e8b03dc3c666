import { StringDecoder } from "node:string_decoder";
import { createParser, type EventSourceMessage, type EventSourceParser } from "eventsource-parser";

/** One server-sent event. `event` is absent when the server sent no `event:` line. */
export interface SseEvent {
  event?: string | undefined;
  data: string;
  id?: string | undefined;
}

/** The stream broke the SSE framing in a way we refuse to buffer (a runaway line or event). */
export class SseError extends Error {
  override readonly name = "SseError";

  static isInstance(error: unknown): error is SseError {
    return error instanceof SseError;
  }
}

export interface SseEventsOptions {
  /** Characters a single unfinished line or event may buffer; default 8 Mi. */
  maxBufferSize?: number;
}

const CR = 13;
const BOM = "\uFEFF";

/**
 * Turns response bytes into SSE events. Chunks may split lines, `\r\n` pairs and multi-byte
 * UTF-8 characters anywhere: the decoder runs in streaming mode and eventsource-parser keeps
 * partial lines. Comments (keep-alives) are dropped. An event not closed by a blank line when
 * the bytes end is discarded, as the SSE spec says. A leading byte order mark is dropped and
 * malformed UTF-8 becomes U+FFFD, as TextDecoder does; node:string_decoder does it for a fifth
 * of TextDecoder's CPU in streaming mode (which goes through ICU for every chunk).
 */
export function sseEvents(
  body: AsyncIterable<Uint8Array>,
  options: SseEventsOptions = {},
): AsyncGenerator<SseEvent, void, undefined> {
  const { parser, pending, failure } = sseEventParser(options);
  return feedSseParser(body, parser, pending, failure);
}

/**
 * The SSE parser sseEvents feeds: comments dropped, every event pushed into `pending` (the caller
 * takes them after each feed and empties it), a runaway line or event reported by `failure`.
 */
export function sseEventParser(options: SseEventsOptions = {}): { parser: EventSourceParser; pending: EventSourceMessage[]; failure: () => SseError | undefined } {
  const pending: EventSourceMessage[] = [];
  let failed: SseError | undefined;
  const parser = createParser({
    onEvent: (event) => {
      pending.push(event);
    },
    onError: (error) => {
      if (error.type === "max-buffer-size-exceeded") failed = new SseError(error.message, { cause: error });
    },
    maxBufferSize: options.maxBufferSize ?? 8 * 1024 * 1024,
  });
  return { parser, pending, failure: () => failed };
}

/** Feeds response bytes to an eventsource-parser, one network chunk at a time, synchronously. */
export interface SseFeed {
  /** Decodes and parses one chunk (the parser's callbacks run meanwhile); throws the parser's failure. */
  write(chunk: Uint8Array): void;
  /** The bytes ended: what the decoder and the parser still hold is parsed; throws the parser's failure. */
  end(): void;
}

/**
 * An SseFeed for a parser whose callbacks report through `failure` (asked after each write and at the
 * end); `finish` runs once the last bytes are fed, before that last ask.
 */
export function sseFeed(parser: EventSourceParser, failure: () => SseError | undefined, finish?: () => void): SseFeed {
  const decoder = new StringDecoder("utf8");
  // The parser holds a trailing `\r` back in case `\n` follows; at the end of the bytes it ends a line.
  let endsWithCr = false;
  let started = false;
  const check = (): void => {
    const failed = failure();
    if (failed !== undefined) throw failed;
  };
  return {
    write(chunk) {
      if (chunk.length === 0) return;
      endsWithCr = chunk[chunk.length - 1] === CR;
      let text = decoder.write(chunk);
      if (!started && text !== "") {
        started = true;
        if (text.startsWith(BOM)) text = text.slice(1);
      }
      parser.feed(text);
      check();
    },
    end() {
      const tail = decoder.end();
      if (tail !== "") parser.feed(tail);
      if (endsWithCr) parser.feed("\n");
      finish?.();
      check();
    },
  };
}

/**
 * Feeds response bytes to an eventsource-parser whose callbacks push into `pending`, and yields
 * what each feed pushed. `failure` is asked after each feed and at the end (the callbacks set
 * it); `finish` runs once the last bytes are fed, before that last ask.
 */
export async function* feedSseParser<T>(
  body: AsyncIterable<Uint8Array>,
  parser: EventSourceParser,
  pending: T[],
  failure: () => SseError | undefined,
  finish?: () => void,
): AsyncGenerator<T, void, undefined> {
  const feed = sseFeed(parser, failure, finish);
  for await (const chunk of body) {
    feed.write(chunk);
    if (pending.length > 0) {
      for (let i = 0; i < pending.length; i++) yield pending[i] as T;
      pending.length = 0;
    }
  }
  feed.end();
  for (let i = 0; i < pending.length; i++) yield pending[i] as T;
}
