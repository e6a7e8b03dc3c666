import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";

export interface TcpProxy {
  /** The proxy's port on 127.0.0.1. */
  port: number;
  /** Drops every connection and stops listening: to a client, the service is down (connection refused). */
  cut(): Promise<void>;
  /**
   * Arms a cut for the moment a client sends bytes containing `marker` (e.g. `insert into "calls"`,
   * so the cut falls inside a transaction): those bytes are dropped, then everything is cut as by
   * cut(). Resolves once it has happened.
   */
  cutWhenClientSends(marker: string): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** A TCP pass-through to host:port that a test can take down and bring back, to play an outage. */
export async function startTcpProxy(host: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let armed: { marker: Buffer; fire: () => void } | undefined;
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const next = createServer((client) => {
        const upstream = connect(targetPort, host);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on("close", () => sockets.delete(socket));
          socket.on("error", () => undefined);
        }
        client.on("data", (chunk: Buffer) => {
          if (armed && chunk.includes(armed.marker)) {
            const { fire } = armed;
            armed = undefined;
            fire();
            return;
          }
          if (!upstream.write(chunk)) {
            client.pause();
            upstream.once("drain", () => client.resume());
          }
        });
        upstream.pipe(client).on("close", () => upstream.destroy());
        client.on("end", () => upstream.end());
        client.on("close", () => upstream.destroy());
        upstream.on("close", () => client.destroy());
      });
      next.once("error", reject);
      next.listen(port, "127.0.0.1", () => {
        server = next;
        resolve((next.address() as AddressInfo).port);
      });
    });
  const cut = async () => {
    const closing = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };
  const port = await listen(0);
  return {
    port,
    cut,
    cutWhenClientSends: (marker) =>
      new Promise<void>((resolve, reject) => {
        armed = { marker: Buffer.from(marker), fire: () => cut().then(resolve, reject) };
      }),
    async restore() {
      if (!server) await listen(port);
    },
    close: async () => {
      armed = undefined;
      await cut();
    },
  };
}
