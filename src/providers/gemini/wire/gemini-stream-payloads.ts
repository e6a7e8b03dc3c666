import { createParser, type ParseError } from "eventsource-parser";
import { SseError, sseFeed } from "../../http/sse-events.js";
import { streamFrames, type StreamFramer } from "../../http/stream-frames.js";

export interface GeminiStreamPayloadsOptions {
  /** Characters a single unfinished line, event or bare JSON body may buffer; default 8 Mi. */
  maxBufferSize?: number;
}

const parsesAsJson = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/**
 * The JSON texts of a Gemini `alt=sse` stream, in order. Mostly these are `data:` payloads,
 * but Gemini may also write an error as bare JSON with no `data:` prefix (WIRE §4.4, §10.6),
 * which an SSE parser drops as unknown fields; here those lines are gathered until they form
 * a JSON value and that value is yielded as a payload too. Bare text that never becomes JSON
 * is yielded as it is once a `data:` event or the end follows, so the caller reports it
 * rather than losing it. This is `sseFrames` plus that one rule; comments (keep-alives) are
 * dropped and bytes may be split anywhere, inside multi-byte characters too.
 */
export function geminiPayloadFrames(options: GeminiStreamPayloadsOptions = {}): StreamFramer<string> {
  const maxBufferSize = options.maxBufferSize ?? 8 * 1024 * 1024;
  const pending: string[] = [];
  let bare = "";
  let failure: SseError | undefined;

  const flushBare = (): void => {
    if (bare.trim() !== "") pending.push(bare);
    bare = "";
  };
  const onBareLine = (line: string): void => {
    bare = bare === "" ? line : `${bare}\n${line}`;
    if (bare.length > maxBufferSize) {
      failure = new SseError(`stream text outside SSE events exceeded ${maxBufferSize} characters`);
      return;
    }
    const trimmed = bare.trim();
    if ((trimmed.startsWith("{") || trimmed.startsWith("[")) && parsesAsJson(trimmed)) flushBare();
  };

  const parser = createParser({
    onEvent: (event) => {
      flushBare();
      pending.push(event.data);
    },
    onError: (error: ParseError) => {
      if (error.type === "max-buffer-size-exceeded") failure = new SseError(error.message, { cause: error });
      else if (error.type === "unknown-field" && error.line !== undefined) onBareLine(error.line);
    },
    maxBufferSize,
  });

  // A bare JSON body often ends the stream without a final newline.
  const finish = (): void => {
    parser.reset({ consume: true });
    flushBare();
  };
  return sseFeed(parser, pending, () => failure, finish);
}

/** geminiPayloadFrames' payloads as an async generator, for tests and callers holding bytes. */
export function geminiStreamPayloads(body: AsyncIterable<Uint8Array>, options: GeminiStreamPayloadsOptions = {}): AsyncGenerator<string, void, undefined> {
  return streamFrames(body, geminiPayloadFrames(options));
}
