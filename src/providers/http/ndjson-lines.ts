import { streamFrames, type StreamFramer } from "./stream-frames.js";

const DECODE_STREAMING = { stream: true };

/**
 * Cuts newline-delimited JSON bytes (Ollama's native stream) into its non-blank lines, trimmed;
 * the decoder parses them. Lines may be split anywhere across chunks; a last line without a
 * newline is still framed at the end.
 */
export function ndjsonFrames(): StreamFramer<string> {
  const decoder = new TextDecoder("utf-8");
  const frames: string[] = [];
  let buffered = "";
  return {
    frames,
    write(chunk) {
      const text = buffered + decoder.decode(chunk, DECODE_STREAMING);
      let start = 0;
      let newline = text.indexOf("\n");
      while (newline !== -1) {
        const line = text.slice(start, newline).trim();
        if (line !== "") frames.push(line);
        start = newline + 1;
        newline = text.indexOf("\n", start);
      }
      buffered = start === 0 ? text : text.slice(start);
    },
    end() {
      const last = (buffered + decoder.decode()).trim();
      buffered = "";
      if (last !== "") frames.push(last);
    },
  };
}

/** ndjsonFrames' lines as an async generator, for tests and callers holding bytes. */
export function ndjsonLines(body: AsyncIterable<Uint8Array>): AsyncGenerator<string, void, undefined> {
  return streamFrames(body, ndjsonFrames());
}
