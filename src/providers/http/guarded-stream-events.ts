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
 * `takeReady` hands over, without a promise, the events already decoded that the generator has not
 * yielded yet (the rest of the network chunk the last yielded event came from): a reader that has
 * one event takes the rest of its read at once, instead of one generator step per event.
 */
export function guardedStreamEvents<F>(
  response: HttpResponse,
  framer: StreamFramer<F>,
  decoder: StreamDecoder<F>,
  options: { provider: string },
): AsyncGenerator<ChatEvent, void, undefined> & ReadyEvents {
  // The events decoded and not yet handed over: out[next…]. Shared by the generator and takeReady.
  const ready: Ready = { out: [], next: 0, finished: false };
  const generator = readEvents(response, framer, decoder, options.provider, ready);
  return Object.assign(generator, {
    takeReady(into: ChatEvent[]): void {
      const { out } = ready;
      while (ready.next < out.length) {
        const event = out[ready.next++]!;
        if (event.type === "finish") ready.finished = true;
        into.push(event);
      }
    },
  });
}

interface Ready {
  readonly out: ChatEvent[];
  next: number;
  /** The finish was handed over: the socket goes back to the pool. */
  finished: boolean;
}

async function* readEvents<F>(response: HttpResponse, framer: StreamFramer<F>, decoder: StreamDecoder<F>, provider: string, ready: Ready): AsyncGenerator<ChatEvent, void, undefined> {
  const { frames } = framer;
  const { out } = ready;
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
      while (ready.next < out.length) yield out[ready.next++]!;
      out.length = ready.next = 0;
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
      while (ready.next < out.length) yield out[ready.next++]!;
      out.length = ready.next = 0;
      if (failed !== undefined) throw failed.error;
      if (broken !== undefined) throw broken.error;
    }
    decoder.end(out);
    while (ready.next < out.length) {
      const event = out[ready.next++]!;
      if (event.type === "finish") ready.finished = true;
      yield event;
    }
  } catch (error) {
    if (SseError.isInstance(error)) {
      throw new ProviderError({ kind: "invalid_response", provider, message: error.message, cause: error });
    }
    throw mapTransportError(error, provider);
  } finally {
    if (left) await chunks.return?.();
    if (ready.finished) response.release();
    else response.abort();
  }
}
