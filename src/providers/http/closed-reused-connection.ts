import type { Socket } from "node:net";
import { errors, type buildConnector } from "undici";

/**
 * How many times a request is sent again after the upstream closed the pooled connection it was
 * written to before any response came back. Each time needs a connection that had already carried
 * a response; one that failed on a fresh connection is not sent again.
 */
export const CLOSED_REUSED_CONNECTION_RETRIES = 2;

/** Set on a socket's error when that socket had already read bytes (it carried earlier responses). */
const ON_REUSED = Symbol("switchyard.onReusedConnection");

function tagReused(this: Socket, error: Error): void {
  if (this.bytesRead > 0) (error as { [ON_REUSED]?: true })[ON_REUSED] = true;
}

/**
 * `connect` with each socket's errors tagged when the socket had already read responses, so that
 * a bare `ECONNRESET`/`EPIPE` (which names no socket) can be told apart on a reused connection. One
 * listener per connection; nothing per request.
 */
export function tagReusedConnectionErrors(connect: buildConnector.connector): buildConnector.connector {
  return (options, callback) =>
    connect(options, (...result) => {
      // A failed connect calls back with the error alone.
      const socket = result[1];
      if (socket) socket.prependListener("error", tagReused);
      callback(...result);
    });
}

/**
 * True when undici failed a request because the upstream closed or reset a kept-alive connection
 * that had already carried responses, before this request's response head arrived
 * (`dispatcher.request()` rejected): the keep-alive race, where the upstream's idle timer drops a
 * connection just as we write to it. The upstream dropped the connection instead of answering, so
 * sending the request again on another connection does not normally run it twice — unless it read
 * the request and died before answering; a following failure on a fresh connection is then not
 * sent again, and counts against the deployment.
 *
 * Reuse is read from undici's SocketError (the socket's bytes read) or from the tag that
 * `tagReusedConnectionErrors` put on the socket's own error.
 */
export function isClosedReusedConnection(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  if ((error as { [ON_REUSED]?: true })[ON_REUSED] === true) return true;
  if (!(error instanceof errors.SocketError)) return false;
  const bytesRead = error.socket?.bytesRead;
  return bytesRead !== undefined && bytesRead > 0;
}

/**
 * Whether a failed `dispatcher.request` may be sent again: the upstream closed the reused connection
 * it went out on before answering (the keep-alive race: see isClosedReusedConnection), which says
 * nothing about the deployment, so it must not fail the call or count towards its cooldown.
 * `retries` is how many times it was already sent again; a caller that gave up is not retried.
 */
export function mayRequestAgain(error: unknown, retries: number, signal: { readonly aborted: boolean } | undefined): boolean {
  return retries < CLOSED_REUSED_CONNECTION_RETRIES && signal?.aborted !== true && isClosedReusedConnection(error);
}
