import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** What the fake upstream received, for asserting on an adapter's translation. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The client's port: equal for two requests exactly when they shared a kept-alive connection. */
  remotePort: number;
  /** Resolves when the TCP connection that carried this request closes. */
  socketClosed: Promise<void>;
}

export type FakeHandler = (request: RecordedRequest, response: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

export interface FakeUpstream {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** Replaces the handler for the following requests. */
  handle(handler: FakeHandler): void;
  /** Connections accepted so far (keep-alive reuse keeps this low). */
  connectionCount(): number;
  close(): Promise<void>;
}

/**
 * A tiny HTTP server on 127.0.0.1, port 0, for adapter tests: it records each request and lets
 * the test answer with exact bytes, stall, or cut the connection.
 */
export async function startFakeUpstream(initial?: FakeHandler): Promise<FakeUpstream> {
  let handler: FakeHandler =
    initial ??
    ((_request, response) => {
      response.writeHead(501).end();
    });
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;

  // One `close` listener per socket, not per request: a kept-alive socket carries many requests.
  const closedBySocket = new WeakMap<Socket, Promise<void>>();
  const whenClosed = (socket: Socket): Promise<void> => {
    let closed = closedBySocket.get(socket);
    if (closed === undefined) {
      closed = new Promise<void>((resolve) => {
        if (socket.destroyed) resolve();
        else socket.once("close", () => resolve());
      });
      closedBySocket.set(socket, closed);
    }
    return closed;
  };

  const server = createServer((raw, response) => {
    const socket = raw.socket;
    const socketClosed = whenClosed(socket);
    const chunks: Buffer[] = [];
    raw.on("data", (chunk: Buffer) => chunks.push(chunk));
    raw.on("end", () => {
      const request: RecordedRequest = {
        method: raw.method ?? "",
        path: raw.url ?? "",
        headers: raw.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        remotePort: socket.remotePort ?? 0,
        socketClosed,
      };
      requests.push(request);
      Promise.resolve(handler(request, response, raw)).catch((error: unknown) => {
        response.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  });
  server.on("connection", (socket) => {
    connections++;
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle: (next) => {
      handler = next;
    },
    connectionCount: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Writes `bytes` in pieces of `chunkSize` bytes, one write per piece. */
export function writeInChunks(response: ServerResponse, bytes: Buffer, chunkSize: number): void {
  for (let offset = 0; offset < bytes.length; offset += chunkSize) {
    response.write(bytes.subarray(offset, Math.min(offset + chunkSize, bytes.length)));
  }
}
