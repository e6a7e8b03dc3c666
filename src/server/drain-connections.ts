import type { Server, ServerResponse } from "node:http";

export interface DrainInput {
  httpServer: Server;
  /** HTTP answers begun before the drain and not yet finished (it shrinks as they finish). */
  inFlight: Iterable<ServerResponse> & { readonly size: number };
  /** GraphQL operations still running on WebSockets. */
  runningOperations(): number;
  /** Past this, whatever still runs is left to be cut. */
  graceMs: number;
  /** How often to look again (tests may shorten it). */
  pollMs?: number;
}

/**
 * The first half of a graceful stop, run after the caller began refusing new requests: stop listening,
 * let every HTTP answer and WebSocket operation already begun finish (up to `graceMs`), and close each
 * kept-alive socket as soon as it is idle. Answers whose headers have not left say `connection: close`,
 * so their clients do not send another request on a socket about to close. Resolves true when nothing
 * was left running. Closing the WebSockets and cutting leftovers is the caller's second half.
 */
export async function drainConnections(input: DrainInput): Promise<boolean> {
  const { httpServer, inFlight } = input;
  for (const response of inFlight) if (!response.headersSent) response.setHeader("connection", "close");
  // Node's close() also closes the idle kept-alive sockets; upgraded (WebSocket) sockets are not its to close.
  if (httpServer.listening) httpServer.close();
  const deadline = performance.now() + input.graceMs;
  const pollMs = input.pollMs ?? 20;
  for (;;) {
    // An answer that finished leaves its kept-alive socket idle: close it before the client reuses it.
    httpServer.closeIdleConnections();
    if (inFlight.size === 0 && input.runningOperations() === 0) return true;
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
