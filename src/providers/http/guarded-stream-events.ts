import { ProviderError, type ChatEvent } from "../../core/index.js";
import type { HttpResponse } from "./create-http-client.js";
import { mapTransportError } from "./map-transport-error.js";
import { SseError } from "./sse-events.js";
import type { StreamDecoder, StreamFramer } from "./stream-frames.js";

/**
 * A provider stream's ChatEvents, read in one async generator: each body chunk goes through the
 * framer (SSE parser, NDJSON lines, event-stream messages) and each frame through the provider's
 * decoder synchronously, and the events a network chunk held are yielded one by one — one
 * generator step per event instead of three (frames, the provider's events, a guard), each a
 * promise and a microtask hop. Every adapter's stream is read here.
 *
 * The guard: once `finish` has been yielded the socket is drained back to the pool; any other
 * exit (an error, the consumer breaking early) aborts the upstream request, so a half-read stream
 * never holds a pooled connection. Failures reach the caller as ProviderErrors: a malformed SSE
 * stream is `invalid_response`, and whatever the transport threw is mapped by mapTransportError.
 * Events decoded before a failure in the same chunk are yielded before it is thrown; a decoder's
 * failure comes before the framer's (its frame came first), and after the decoder said the stream
 * is over nothing else is read or judged.
 */
export async function* guardedStreamEvents<F>(
  response: HttpResponse,
  framer: StreamFramer<F>,
  decoder: StreamDecoder<F>,
  options: { provider: string },
): AsyncGenerator<ChatEvent, void, undefined> {
  const { provider } = options;
  const { frames } = framer;
  const out: ChatEvent[] = [];
  let finished = false;
  // Set inside decodeFrames: typed wide so that the checks after a call are not narrowed away.
  let done = false as boolean;
  let failed = undefined as { error: unknown } | undefined;
  const decodeFrames = (): void => {
    try {
      for (let i = 0; i < frames.length && !done; i++) done = decoder.decode(frames[i]!, out);
    } catch (error) {
      failed = { error };
    }
    frames.length = 0;
  };
  // The body's iterator by hand, not `for await`: the loop's variables sit in the generator's
  // registers while it waits for the next chunk, and a chunk kept there holds the socket read it is a
  // view of (~1.2 kB) for as long as the stream stays quiet. `left` says the loop still has to return it.
  const chunks = response.body[Symbol.asyncIterator]();
  let left = false;
  try {
    for (;;) {
      let step: IteratorResult<Uint8Array> | undefined = await chunks.next();
      if (step.done === true) break;
      left = true;
      let broken: { error: unknown } | undefined;
      try {
        framer.write(step.value);
      } catch (error) {
        broken = { error };
      }
      step = undefined;
      decodeFrames();
      for (let i = 0; i < out.length; i++) yield out[i]!;
      out.length = 0;
      if (failed !== undefined) throw failed.error;
      if (done) break;
      if (broken !== undefined) throw broken.error;
      left = false;
    }
    if (left) {
      left = false;
      await chunks.return?.();
    }
    if (!done) {
      let broken: { error: unknown } | undefined;
      try {
        framer.end();
      } catch (error) {
        broken = { error };
      }
      decodeFrames();
      for (let i = 0; i < out.length; i++) yield out[i]!;
      out.length = 0;
      if (failed !== undefined) throw failed.error;
      if (broken !== undefined) throw broken.error;
    }
    decoder.end(out);
    for (let i = 0; i < out.length; i++) {
      const event = out[i]!;
      if (event.type === "finish") finished = true;
      yield event;
    }
  } catch (error) {
    if (SseError.isInstance(error)) {
      throw new ProviderError({ kind: "invalid_response", provider, message: error.message, cause: error });
    }
    throw mapTransportError(error, provider);
  } finally {
    if (left) await chunks.return?.();
    if (finished) response.release();
    else response.abort();
  }
}
