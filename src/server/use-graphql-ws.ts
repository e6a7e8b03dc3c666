import type { IncomingMessage } from "node:http";
import { GraphQLError } from "graphql";
import { CloseCode, type ConnectionInitMessage, type ServerOptions, handleProtocols, makeServer } from "graphql-ws";
import type { WebSocket, WebSocketServer } from "ws";

/** What every graphql-ws hook gets as `ctx.extra`: the socket and the upgrade request. */
export interface WsExtra {
  readonly socket: WebSocket;
  readonly request: IncomingMessage;
}

/** Above this many queued bytes on a socket, a send waits until its frame is written (the client is slow). */
const HIGH_WATER_BYTES = 1 << 20;

/**
 * graphql-ws on a `ws` server, as graphql-ws's own `useServer` binding, except for how it sends:
 * that binding waits for every frame's write to complete before the next event of an operation
 * can go, one syscall and one event-loop turn per streamed chunk. Here a send only queues the
 * frame: frames queued in the same tick leave in one write (the socket is corked until the next
 * tick), and a send waits for the write only once a slow client lets more than HIGH_WATER_BYTES
 * pile up — so backpressure still reaches the upstream stream.
 *
 * At most `maxOperationsPerSocket` operations run at once on a socket (default 100): one more is
 * answered with an error message (`TOO_MANY_OPERATIONS`) and the socket stays open; an operation
 * frees its slot when it completes, fails or the client stops it.
 */
export function useGraphQLWs<P extends ConnectionInitMessage["payload"] = ConnectionInitMessage["payload"], E extends Record<PropertyKey, unknown> = Record<PropertyKey, never>>(
  options: ServerOptions<P, WsExtra & Partial<E>>,
  wss: WebSocketServer,
  binding: { keepAliveMs?: number; maxOperationsPerSocket?: number; onInternalError?: (error: unknown) => void } = {},
): { dispose(): Promise<void> } {
  const keepAliveMs = binding.keepAliveMs ?? 12_000;
  const maxOperations = binding.maxOperationsPerSocket ?? 100;
  const internalError = (socket: WebSocket, error: unknown) => {
    binding.onInternalError?.(error);
    socket.close(CloseCode.InternalServerError, "Internal server error");
  };
  const server = makeServer({
    ...options,
    onSubscribe: (ctx, id, payload) => {
      // graphql-ws has entered this operation in ctx.subscriptions already, and removes each one when it ends.
      if (Object.keys(ctx.subscriptions).length > maxOperations) {
        return [
          new GraphQLError(`Too many operations on this socket: at most ${maxOperations} may run at once`, {
            extensions: { code: "TOO_MANY_OPERATIONS", limit: "maxOperationsPerSocket", maxOperationsPerSocket: maxOperations },
          }),
        ];
      }
      return options.onSubscribe?.(ctx, id, payload);
    },
  });
  wss.options.handleProtocols = handleProtocols;
  wss.once("error", (error) => {
    binding.onInternalError?.(error);
    for (const client of wss.clients) client.close(CloseCode.InternalServerError, "Internal server error");
  });

  wss.on("connection", (socket: WebSocket, request: IncomingMessage) => {
    socket.once("error", (error) => internalError(socket, error));
    let pongWait: NodeJS.Timeout | undefined;
    const pingInterval = setInterval(() => {
      if (socket.readyState !== socket.OPEN) return;
      pongWait = setTimeout(() => socket.terminate(), keepAliveMs);
      socket.once("pong", () => {
        clearTimeout(pongWait);
        pongWait = undefined;
      });
      socket.ping();
    }, keepAliveMs);
    pingInterval.unref();

    // After the upgrade, `ws` writes its frames to the request's own TCP socket.
    const raw = request.socket;
    let corked = false;
    const uncork = () => {
      corked = false;
      raw.uncork();
    };

    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) => {
          if (socket.readyState !== socket.OPEN) return;
          if (!corked) {
            corked = true;
            raw.cork();
            process.nextTick(uncork);
          }
          if (socket.bufferedAmount <= HIGH_WATER_BYTES) {
            socket.send(data);
            return;
          }
          return new Promise<void>((resolve, reject) => socket.send(data, (error) => (error ? reject(error) : resolve())));
        },
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on("message", async (message) => {
            try {
              await handle(String(message));
            } catch (error) {
              internalError(socket, error);
            }
          }),
      },
      { socket, request } as WsExtra & Partial<E>,
    );

    socket.once("close", (code, reason) => {
      clearTimeout(pongWait);
      clearInterval(pingInterval);
      void closed(code, String(reason));
    });
  });

  return {
    async dispose() {
      for (const client of wss.clients) client.close(1001, "Going away");
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
