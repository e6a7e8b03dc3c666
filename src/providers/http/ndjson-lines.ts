import { parseJsonSafe, type JsonParseResult } from "./parse-json-safe.js";

const DECODE_STREAMING = { stream: true };

/**
 * Turns newline-delimited JSON bytes (Ollama's native stream) into one parse result per
 * non-blank line. Lines may be split anywhere across chunks; a last line without a newline is
 * still parsed. A line that is not JSON comes back as `{ ok: false }` for the caller to judge.
 */
export async function* ndjsonLines(body: AsyncIterable<Uint8Array>): AsyncGenerator<JsonParseResult, void, undefined> {
  const decoder = new TextDecoder("utf-8");
  let buffered = "";
  for await (const chunk of body) {
    const text = buffered + decoder.decode(chunk, DECODE_STREAMING);
    let start = 0;
    let newline = text.indexOf("\n");
    while (newline !== -1) {
      const line = text.slice(start, newline).trim();
      if (line !== "") yield parseJsonSafe(line);
      start = newline + 1;
      newline = text.indexOf("\n", start);
    }
    buffered = start === 0 ? text : text.slice(start);
  }
  const last = (buffered + decoder.decode()).trim();
  if (last !== "") yield parseJsonSafe(last);
}
