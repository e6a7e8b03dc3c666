import { createServer, connect, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

export interface CountingProxy {
  url: string;
  /** Client connections currently open through the proxy. */
  readonly open: number;
  close(): Promise<void>;
}

export interface CountingProxyOptions {
  /** Pass the upstream's bytes on slowly (32 bytes every few ms), so a response is still arriving when a client stops reading. */
  slow?: boolean;
}

/** A TCP pass-through that counts open connections, to see whether a client really hung up. */
export async function startCountingProxy(target: string, options: CountingProxyOptions = {}): Promise<CountingProxy> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<Socket>();
  const clients = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    clients.add(client);
    const upstream = connect(Number(port), hostname);
    sockets.add(upstream);
    client.pipe(upstream);
    if (options.slow) trickle(upstream, client);
    else upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("close", () => {
      sockets.delete(client);
      clients.delete(client);
      end();
    });
    upstream.on("close", () => {
      sockets.delete(upstream);
      end();
    });
    client.on("error", end);
    upstream.on("error", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  const path = new URL(target).pathname.replace(/\/$/, "");
  return {
    url: `http://127.0.0.1:${address.port}${path}`,
    get open() {
      return clients.size;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function trickle(from: Socket, to: Socket): void {
  let pending = Buffer.alloc(0);
  let timer: NodeJS.Timeout | undefined;
  const pump = () => {
    timer = undefined;
    if (to.destroyed || pending.length === 0) return;
    to.write(pending.subarray(0, 32));
    pending = pending.subarray(32);
    if (pending.length > 0) timer = setTimeout(pump, 3);
  };
  from.on("data", (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    if (!timer) pump();
  });
  to.on("close", () => clearTimeout(timer));
}
