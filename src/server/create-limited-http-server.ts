import { createServer, type Server } from "node:http";
import type { Logger } from "pino";

/** `server.*` in the config; see README "Connections". */
export interface ConnectionLimits {
  /** A connection must deliver a request's complete headers this long after it opened (or after its previous answer). */
  headersTimeoutMs: number;
  /** Receiving the whole request, body included; the answer (a stream) may take longer. */
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
  maxConnections: number;
}

/**
 * A node:http server that closes sockets which send nothing, or headers a byte at a time (408), and
 * refuses connections past a cap, so no client without credentials can hold the process's file
 * descriptors. Node's `requestTimeout` ends once the request is received: long streamed answers live on.
 */
export function createLimitedHttpServer(limits: ConnectionLimits, logger: Logger): Server {
  const server = createServer({
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node checks both deadlines on this interval (30 s by default, which would let a silent socket
    // outlive a 15 s headers deadline by up to 30 s); a check walks only the sockets mid-request.
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 4))),
  });
  server.maxConnections = limits.maxConnections;
  let lastWarning = -Infinity;
  server.on("drop", () => {
    if (performance.now() - lastWarning < 10_000) return;
    lastWarning = performance.now();
    logger.warn({ maxConnections: limits.maxConnections }, "refusing connections: server.maxConnections are open");
  });
  return server;
}
