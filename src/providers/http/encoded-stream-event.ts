/**
 * One piece of a stream as a codec's stream encoder frames it (`src/providers/<name>/wire/encode-*-stream.ts`),
 * and the piece of the answer it carries: `tick` counts the answer's pieces (reasoning first, then text or
 * tool input), so a paced sender (the simulator) sends it when that piece is due and a fake server ignores it.
 * `terminal` marks what only a finished stream carries (Anthropic message_stop, Gemini's finishReason
 * chunk, Bedrock messageStop/metadata).
 */
export interface EncodedStreamEvent {
  text: string | Buffer;
  tick: number;
  terminal?: boolean;
}
