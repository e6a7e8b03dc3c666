import { ProviderError, type ChatEvent } from "../../core/index.js";
import type { HttpResponse } from "./create-http-client.js";
import { mapTransportError } from "./map-transport-error.js";
import { SseError, sseEventParser, sseFeed, type SseEvent, type SseEventsOptions } from "./sse-events.js";

/** A provider's stream format read one SSE event at a time, synchronously (OpenAIStreamDecoder). */
export interface SseChatDecoder {
  /** One SSE event's ChatEvents pushed onto `out`; true when the provider said the stream is over (nothing after it is read). */
  decode(event: SseEvent, out: ChatEvent[]): boolean;
  /** The events ended: the final events (the `finish`) pushed onto `out`, or the stream's failure thrown. */
  end(out: ChatEvent[]): void;
}

/**
 * What `guardStream(response, () => decoderEvents(sseEvents(response.body)))` gives, in one async
 * generator: the body's chunks are fed to the SSE parser and each event to the decoder synchronously,
 * and the ChatEvents a network chunk held are yielded one by one — one generator step per event
 * instead of three (SSE events, the provider's events, the guard), each a promise and a microtask
 * hop. The guard's part is guardStream's: the socket is released after the finish and aborted on any
 * other exit, and failures reach the caller as ProviderErrors. Events decoded before a failure in the
 * same chunk are yielded before it is thrown, as the chain of generators did.
 */
export async function* guardedSseEvents(
  response: HttpResponse,
  decoder: SseChatDecoder,
  options: { provider: string } & SseEventsOptions,
): AsyncGenerator<ChatEvent, void, undefined> {
  const { provider } = options;
  let finished = false;
  const out: ChatEvent[] = [];
  try {
    const { parser, pending, failure } = sseEventParser(options);
    const feed = sseFeed(parser, failure);
    // Set inside decodePending: typed wide so that the checks after a call are not narrowed away.
    let done = false as boolean;
    let failed = undefined as { error: unknown } | undefined;
    const decodePending = (): void => {
      try {
        for (let i = 0; i < pending.length && !done; i++) done = decoder.decode(pending[i]!, out);
      } catch (error) {
        failed = { error };
      }
      pending.length = 0;
    };
    for await (const chunk of response.body) {
      feed.write(chunk);
      decodePending();
      for (let i = 0; i < out.length; i++) yield out[i]!;
      out.length = 0;
      if (failed !== undefined) throw failed.error;
      if (done) break;
    }
    if (!done) {
      feed.end();
      decodePending();
      for (let i = 0; i < out.length; i++) yield out[i]!;
      out.length = 0;
      if (failed !== undefined) throw failed.error;
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
    if (finished) response.release();
    else response.abort();
  }
}
