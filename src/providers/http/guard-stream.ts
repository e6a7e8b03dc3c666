import { ProviderError, type ChatEvent } from "../../core/index.js";
import type { HttpResponse } from "./create-http-client.js";
import { mapTransportError } from "./map-transport-error.js";
import { SseError } from "./sse-events.js";

export interface GuardStreamOptions {
  provider: string;
}

/**
 * Gives a stream's events ownership of their response. Once `finish` has been seen the socket
 * is drained back to the pool; any other exit (an error, the consumer breaking early) aborts the
 * upstream request, so a half-read stream never holds a pooled connection. Failures reach the
 * caller as ProviderErrors: a malformed SSE stream is `invalid_response`, and whatever the
 * transport threw is mapped by mapTransportError.
 *
 * `events` is a function so that building the parser chain happens inside the guard too.
 */
export async function* guardStream(
  response: HttpResponse,
  events: () => AsyncIterable<ChatEvent>,
  options: GuardStreamOptions,
): AsyncGenerator<ChatEvent, void, undefined> {
  const { provider } = options;
  let finished = false;
  try {
    for await (const event of events()) {
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
