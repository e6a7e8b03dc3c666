import type { EncodedStreamEvent } from "../../http/encoded-stream-event.js";
import type { GeminiAnswer } from "./gemini-wire-types.js";
import { encodeGeminiChunk, encodeGeminiPart } from "./encode-gemini-response.js";

export interface EncodeGeminiStreamOptions {
  /** `alt=sse`: data-only SSE events; otherwise one JSON array, as the API streams without it (WIRE §4.4). */
  sse: boolean;
  lineEnding?: "\n" | "\r\n";
}

/**
 * Stream chunks, each a whole GenerateContentResponse with only the new part: a chunk per piece of
 * a thought summary or text (a text's signature on its last piece), a function call whole in one
 * chunk. The last carries finishReason and the full usage, and the stream simply ends (no sentinel).
 */
export function encodeGeminiStream(answer: GeminiAnswer, options: EncodeGeminiStreamOptions): EncodedStreamEvent[] {
  const lineEnding = options.lineEnding ?? "\n";
  const chunks: string[] = [];
  for (const part of answer.parts) {
    if (part.type === "functionCall") {
      chunks.push(encodeGeminiPart(part, "", part.thoughtSignature));
      continue;
    }
    const pieces = part.pieces.length === 0 ? [""] : part.pieces;
    pieces.forEach((piece, i) => chunks.push(encodeGeminiPart(part, piece, part.type === "text" && i === pieces.length - 1 ? part.thoughtSignature : undefined)));
  }
  if (chunks.length === 0) chunks.push(`{"text":""}`);
  const frame = (json: string, first: boolean): string => (options.sse ? `data: ${json}${lineEnding}${lineEnding}` : `${first ? "[" : ",\r\n"}${json}`);
  const last = chunks.length - 1;
  const events: EncodedStreamEvent[] = chunks.map((part, i) => {
    const text = frame(encodeGeminiChunk(answer, part, i === last), i === 0);
    return i === last ? { text, tick: i, terminal: true } : { text, tick: i };
  });
  if (!options.sse) events.push({ text: "]", tick: last, terminal: true });
  return events;
}
