import { errors } from "undici";

/**
 * How many times a request is sent again after the upstream closed the pooled connection it was
 * written to before any response came back. Each time needs a connection that had already carried
 * a response; one that failed on a fresh connection is not sent again.
 */
export const CLOSED_REUSED_CONNECTION_RETRIES = 2;

/**
 * True when undici failed a request because the upstream closed a kept-alive connection that had
 * already carried responses, before this request's response head arrived (`dispatcher.request()`
 * rejected): the keep-alive race, where the upstream drops an idle connection just as we write to
 * it. The upstream closed the connection instead of reading the request, so sending it again on
 * another connection does not run it twice — except if the upstream read it and then died before
 * answering, which a fresh connection's failure (counted against the deployment) will show.
 *
 * Only undici's SocketError says which socket it was (bytes read: more than none means reused);
 * a bare ECONNRESET or EPIPE from the socket does not, so it is not sent again here.
 */
export function isClosedReusedConnection(error: unknown): boolean {
  if (!(error instanceof errors.SocketError)) return false;
  const bytesRead = error.socket?.bytesRead;
  return bytesRead !== undefined && bytesRead > 0;
}
