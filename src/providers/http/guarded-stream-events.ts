import { ProviderError, type ChatEvent } from "../../core/index.js";
import type { ReadyEvents } from "../spec.js";
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
 *
 * Frames are decoded one at a time as the events are yielded: the first event of a network chunk
 * goes before the rest of the chunk is decoded. `takeReady` decodes, without a promise, what the
 * chunk the last yielded event came from still holds and hands all of it over: a reader that has one
 * event takes the rest of its read at once, when it wants it, instead of one generator step per event.
 */
export function guardedStreamEvents<F>(
  response: HttpResponse,
  framer: StreamFramer<F>,
  decoder: StreamDecoder<F>,
  options: { provider: string },
): AsyncGenerator<ChatEvent, void, undefined> & ReadyEvents {
  const state: DecodeState<F> = { framer, decoder, out: [], next: 0, frame: 0, done: false, failed: undefined, finished: false };
  const generator = readEvents(response, options.provider, state);
  return Object.assign(generator, {
    takeReady(into: ChatEvent[]): void {
      const { out } = state;
      do {
        while (state.next < out.length) {
          const event = out[state.next++]!;
          if (event.type === "finish") state.finished = true;
          into.push(event);
        }
      } while (decodeNext(state));
    },
  });
}

/** Shared by the generator and takeReady: the framer's frames[frame…] are not decoded yet, out[next…] not handed over. */
interface DecodeState<F> {
  readonly framer: StreamFramer<F>;
  readonly decoder: StreamDecoder<F>;
  readonly out: ChatEvent[];
  next: number;
  frame: number;
  /** The decoder said the stream is over: nothing after it is decoded. */
  done: boolean;
  /** The decoder threw: the generator throws it once the events before it are out. */
  failed: { error: unknown } | undefined;
  /** The finish was handed over: the socket goes back to the pool. */
  finished: boolean;
}

/** Decodes the next frame onto `out`; false when none is left to decode (all done, the decoder's end said, or its failure). */
function decodeNext<F>(state: DecodeState<F>): boolean {
  const { frames } = state.framer;
  if (state.done || state.failed !== undefined || state.frame >= frames.length) return false;
  try {
    state.done = state.decoder.decode(frames[state.frame++]!, state.out);
  } catch (error) {
    // Events the decoder pushed before it threw still go first: true, and the next call says false.
    state.failed = { error };
  }
  return true;
}

async function* readEvents<F>(response: HttpResponse, provider: string, state: DecodeState<F>): AsyncGenerator<ChatEvent, void, undefined> {
  const { framer, out } = state;
  const { frames } = framer;
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
      do {
        while (state.next < out.length) yield out[state.next++]!;
        out.length = state.next = 0;
      } while (decodeNext(state));
      frames.length = state.frame = 0;
      if (state.failed !== undefined) throw state.failed.error;
      if (state.done) break;
      if (broken !== undefined) throw broken.error;
      left = false;
    }
    if (left) {
      left = false;
      await chunks.return?.();
    }
    if (!state.done) {
      let broken: { error: unknown } | undefined;
      try {
        framer.end();
      } catch (error) {
        broken = { error };
      }
      do {
        while (state.next < out.length) yield out[state.next++]!;
        out.length = state.next = 0;
      } while (decodeNext(state));
      frames.length = state.frame = 0;
      if (state.failed !== undefined) throw state.failed.error;
      if (broken !== undefined) throw broken.error;
    }
    state.decoder.end(out);
    while (state.next < out.length) {
      const event = out[state.next++]!;
      if (event.type === "finish") state.finished = true;
      yield event;
    }
  } catch (error) {
    if (SseError.isInstance(error)) {
      throw new ProviderError({ kind: "invalid_response", provider, message: error.message, cause: error });
    }
    throw mapTransportError(error, provider);
  } finally {
    if (left) await chunks.return?.();
    if (state.finished) response.release();
    else response.abort();
  }
}
