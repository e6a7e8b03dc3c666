import type { IncomingMessage } from "node:http";
import { LightAbort } from "../core/index.js";

const signals = new WeakMap<object, AbortSignal>();

/**
 * Aborted when the client's connection closes: a request still being answered then has nobody to
 * answer, and its call is cancelled. One signal per connection, not per request: an AbortController
 * costs a few microseconds in Node (an EventTarget and an AbortSignal), the close of an HTTP/1.1
 * connection is what "the client left" means for every request on it, and a keep-alive connection
 * carries thousands of requests. Whoever listens to it must remove their listener when their work
 * is done (the HTTP client, linked aborts and timers all do), as the signal outlives the request.
 */
export function clientSignal(request: IncomingMessage): AbortSignal {
  const socket = request.socket;
  let signal = signals.get(socket);
  if (signal === undefined) {
    // A LightAbort, not an AbortController: the HTTP client adds and removes a listener on it for every
    // call, which costs an AbortSignal (an EventTarget) several times as much. Only read by our own code.
    const abort = new LightAbort();
    signal = abort.asSignal;
    signals.set(socket, signal);
    if (socket.destroyed) abort.abort();
    else socket.once("close", () => abort.abort());
  }
  return signal;
}
