import type { ChatEvent } from "../../core/index.js";

/**
 * Cuts a provider's response bytes into frames (SSE events, NDJSON lines, event-stream messages),
 * one network chunk at a time and synchronously. Complete frames are pushed onto `frames`, which
 * the reader empties after taking them. A chunk that breaks the framing throws; frames pushed
 * before the break are still read first, unless the framer empties `frames` to drop them.
 */
export interface StreamFramer<F> {
  readonly frames: F[];
  write(chunk: Uint8Array): void;
  /** The bytes ended: what is still buffered is framed, or the truncation thrown. */
  end(): void;
}

/** A provider's stream format read one frame at a time, synchronously (OpenAIStreamDecoder, OllamaStreamDecoder, …). */
export interface StreamDecoder<F> {
  /** One frame's ChatEvents pushed onto `out`; true when the provider said the stream is over (nothing after it is read). */
  decode(frame: F, out: ChatEvent[]): boolean;
  /** The frames ended: the final events (the `finish`) pushed onto `out`, or the stream's failure thrown. */
  end(out: ChatEvent[]): void;
}

/** The frames of a body as an async generator, for tests and callers that hold bytes rather than a response. */
export async function* streamFrames<F>(body: AsyncIterable<Uint8Array>, framer: StreamFramer<F>): AsyncGenerator<F, void, undefined> {
  const { frames } = framer;
  for await (const chunk of body) {
    let broken: { error: unknown } | undefined;
    try {
      framer.write(chunk);
    } catch (error) {
      broken = { error };
    }
    for (let i = 0; i < frames.length; i++) yield frames[i]!;
    frames.length = 0;
    if (broken !== undefined) throw broken.error;
  }
  framer.end();
  for (let i = 0; i < frames.length; i++) yield frames[i]!;
  frames.length = 0;
}

/** A decoder's ChatEvents over frames already cut, for tests and callers holding frames (the adapters use guardedStreamEvents). */
export async function* decodedStreamEvents<F>(frames: AsyncIterable<F>, decoder: StreamDecoder<F>): AsyncGenerator<ChatEvent, void, undefined> {
  const out: ChatEvent[] = [];
  for await (const frame of frames) {
    const done = decoder.decode(frame, out);
    for (let i = 0; i < out.length; i++) yield out[i]!;
    out.length = 0;
    if (done) break;
  }
  decoder.end(out);
  for (let i = 0; i < out.length; i++) yield out[i]!;
}
