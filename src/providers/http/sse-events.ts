import { StringDecoder } from "node:string_decoder";
import { createParser, type EventSourceParser } from "eventsource-parser";
import { streamFrames, type StreamFramer } from "./stream-frames.js";

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
 * of TextDecoder's CPU in streaming mode (which goes through ICU for every chunk). A runaway line
 * or event throws an SseError, and the events of that chunk are dropped with it.
 */
export function sseFrames(options: SseEventsOptions = {}): StreamFramer<SseEvent> {
  const frames: SseEvent[] = [];
  let failed: SseError | undefined;
  const parser = createParser({
    onEvent: (event) => {
      frames.push(event);
    },
    onError: (error) => {
      if (error.type === "max-buffer-size-exceeded") failed = new SseError(error.message, { cause: error });
    },
    maxBufferSize: options.maxBufferSize ?? 8 * 1024 * 1024,
  });
  return sseFeed(parser, frames, () => failed);
}

/** sseFrames' events as an async generator, for tests and callers holding bytes. */
export function sseEvents(body: AsyncIterable<Uint8Array>, options: SseEventsOptions = {}): AsyncGenerator<SseEvent, void, undefined> {
  return streamFrames(body, sseFrames(options));
}

/**
 * A StreamFramer that decodes response bytes and feeds them to an eventsource-parser whose
 * callbacks push into `frames`. `failure` is asked after each write and at the end (the callbacks
 * set it); when it answers, the frames of that chunk are dropped and the failure thrown. `finish`
 * runs once the last bytes are fed, before that last ask.
 */
export function sseFeed<F>(parser: EventSourceParser, frames: F[], failure: () => SseError | undefined, finish?: () => void): StreamFramer<F> {
  const decoder = new StringDecoder("utf8");
  // The parser holds a trailing `\r` back in case `\n` follows; at the end of the bytes it ends a line.
  let endsWithCr = false;
  let started = false;
  const check = (): void => {
    const failed = failure();
    if (failed === undefined) return;
    frames.length = 0;
    throw failed;
  };
  return {
    frames,
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
