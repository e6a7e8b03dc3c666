import { SseByteParser } from "./sse-byte-parser.js";
import type { SseEvent } from "./sse-event.js";
import { streamFrames, type StreamFramer } from "./stream-frames.js";

export { SseError, type SseEvent } from "./sse-event.js";

export interface SseEventsOptions {
  /** Bytes a single unfinished line or event may buffer; default 8 Mi. */
  maxBufferSize?: number;
}

/**
 * Turns response bytes into SSE events (SseByteParser: lines found on the bytes, values decoded).
 * Chunks may split lines, `\r\n` pairs and multi-byte UTF-8 characters anywhere. Comments
 * (keep-alives) are dropped. An event not closed by a blank line when the bytes end is discarded,
 * as the SSE spec says. A leading byte order mark is dropped and malformed UTF-8 becomes U+FFFD, as
 * TextDecoder does. A runaway line or event throws an SseError, and the events of that chunk are
 * dropped with it.
 */
export function sseFrames(options: SseEventsOptions = {}): StreamFramer<SseEvent> {
  const frames: SseEvent[] = [];
  const parser = new SseByteParser({ onEvent: (event) => frames.push(event), maxBufferSize: options.maxBufferSize ?? 8 * 1024 * 1024 });
  return sseFramer(parser, frames);
}

/** sseFrames' events as an async generator, for tests and callers holding bytes. */
export function sseEvents(body: AsyncIterable<Uint8Array>, options: SseEventsOptions = {}): AsyncGenerator<SseEvent, void, undefined> {
  return streamFrames(body, sseFrames(options));
}

/**
 * A StreamFramer over an SseByteParser whose callbacks push into `frames`. `failure` is asked after
 * each write and at the end (the callbacks may set it), as is the parser's own overflow; either way the
 * frames of that chunk are dropped and the failure thrown. `finish` runs once the last bytes are read,
 * before that last ask.
 */
export function sseFramer<F>(parser: SseByteParser, frames: F[], failure: () => Error | undefined = () => undefined, finish?: () => void): StreamFramer<F> {
  const check = (): void => {
    const failed = failure();
    if (failed === undefined) return;
    frames.length = 0;
    throw failed;
  };
  return {
    frames,
    write(chunk) {
      try {
        parser.write(chunk);
      } catch (error) {
        frames.length = 0;
        throw error;
      }
      check();
    },
    end() {
      parser.end();
      finish?.();
      check();
    },
  };
}
