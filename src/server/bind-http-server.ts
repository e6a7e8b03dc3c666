import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { createLimitedHttpServer, type ConnectionLimits } from "./create-limited-http-server.js";
import { sendRefusal } from "./send-refusal.js";

export interface BoundHttpServer {
  httpServer: Server;
  /** The base URL for a client on this machine, e.g. http://127.0.0.1:4000. */
  url: string;
  /** Until createServer takes the server over, every request is answered 503 "starting". */
  stopAnsweringStarting(): void;
  /** Closes the port (a start that failed after binding). */
  close(): Promise<void>;
}

/**
 * Binds the port first, before any database is opened or migrated: a busy port fails the start
 * at once. Requests that arrive while the rest starts are refused with 503 and `retry-after`.
 */
export async function bindHttpServer(limits: ConnectionLimits, logger: Logger, port: number, host = "127.0.0.1"): Promise<BoundHttpServer> {
  const httpServer = createLimitedHttpServer(limits, logger);
  const starting = (request: IncomingMessage, response: ServerResponse) => {
    sendRefusal(response, (request.url ?? "/").split("?")[0]!, { status: 503, code: "UNAVAILABLE", message: "Switchyard is starting; retry in a moment" }, { "retry-after": "1" });
  };
  httpServer.on("request", starting);
  const url = await listenOn(httpServer, port, host);
  return {
    httpServer,
    url,
    stopAnsweringStarting: () => httpServer.off("request", starting),
    close: () =>
      new Promise<void>((resolve) => {
        if (!httpServer.listening) return resolve();
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      }),
  };
}

/** Listens and resolves the URL a client on this machine uses (a busy port rejects with EADDRINUSE, named). */
export function listenOn(httpServer: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      reject(error.code === "EADDRINUSE" ? Object.assign(new Error(`Port ${port} on ${host} is already in use (server.port, or PORT): is another Switchyard running?`, { cause: error }), { code: error.code }) : error);
    };
    httpServer.once("error", failed);
    // Node's default accept backlog (511) overflows when thousands of clients connect at once
    // (the kernel then resets some); the kernel caps this at net.core.somaxconn.
    httpServer.listen({ port, host, backlog: 8192 }, () => {
      httpServer.off("error", failed);
      const address = httpServer.address() as AddressInfo;
      // Every interface includes loopback: that is the address to print for this machine.
      const local = address.address === "0.0.0.0" ? "127.0.0.1" : address.address === "::" ? "::1" : address.address;
      resolve(`http://${hostForUrl(local)}:${address.port}`);
    });
  });
}

/** IPv6 addresses go in brackets in a URL or `host:port`. */
export function hostForUrl(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}
