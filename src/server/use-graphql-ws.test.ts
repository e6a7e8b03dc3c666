import { EventEmitter } from "node:events";
import type { IncomingMessage } from "node:http";
import { GraphQLInt, GraphQLObjectType, GraphQLSchema, GraphQLString } from "graphql";
import { describe, expect, it } from "vitest";
import type { WebSocket, WebSocketServer } from "ws";
import { useGraphQLWs } from "./use-graphql-ws.js";

/** A subscription that yields `count` numbers as fast as they are taken. */
function countingSchema(count: number): GraphQLSchema {
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: "Query", fields: { ok: { type: GraphQLString } } }),
    subscription: new GraphQLObjectType({
      name: "Subscription",
      fields: {
        count: {
          type: GraphQLInt,
          subscribe: async function* () {
            for (let i = 0; i < count; i++) yield i;
          },
          resolve: (value: number) => value,
        },
      },
    }),
  });
}

/** A subscription that yields nothing until it is stopped. */
function waitingSchema(): GraphQLSchema {
  return new GraphQLSchema({
    query: new GraphQLObjectType({ name: "Query", fields: { ok: { type: GraphQLString, resolve: () => "yes" } } }),
    subscription: new GraphQLObjectType({
      name: "Subscription",
      fields: {
        wait: {
          type: GraphQLInt,
          subscribe: (): AsyncIterableIterator<number> => {
            let stop: (result: IteratorResult<number>) => void = () => {};
            const stopped = new Promise<IteratorResult<number>>((resolve) => (stop = resolve));
            return {
              [Symbol.asyncIterator]() {
                return this;
              },
              next: () => stopped,
              return: async () => {
                stop({ value: undefined, done: true });
                return { value: undefined, done: true };
              },
            };
          },
        },
      },
    }),
  });
}

/** Just enough of a `ws` socket and its TCP socket to watch what the binding writes. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  protocol = "graphql-transport-ws";
  bufferedAmount = 0;
  sent: string[] = [];
  pendingCallbacks: Array<(error?: Error) => void> = [];
  send(data: string, callback?: (error?: Error) => void): void {
    this.sent.push(data);
    if (callback) this.pendingCallbacks.push(callback);
  }
  closedWith: number | undefined;
  close(code?: number): void {
    this.closedWith = code;
    this.readyState = 3;
  }
  ping(): void {}
  terminate(): void {}
}

function connect(schema: GraphQLSchema, extra: { onConnect?: () => never; onInternalError?: (error: unknown) => void } = {}) {
  const wss = Object.assign(new EventEmitter(), { options: {}, clients: new Set(), close: (done: () => void) => done() });
  const binding = useGraphQLWs(
    { schema, ...(extra.onConnect ? { onConnect: extra.onConnect } : {}) },
    wss as unknown as WebSocketServer,
    extra.onInternalError ? { onInternalError: extra.onInternalError } : {},
  );
  const socket = new FakeSocket();
  const tcp = { corks: 0, uncorks: 0, cork() { this.corks += 1; }, uncork() { this.uncorks += 1; } };
  wss.emit("connection", socket as unknown as WebSocket, { socket: tcp, headers: {} } as unknown as IncomingMessage);
  const message = (payload: object) => socket.emit("message", Buffer.from(JSON.stringify(payload)));
  const types = () => socket.sent.map((text) => (JSON.parse(text) as { type: string }).type);
  return { binding, socket, tcp, message, types };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe("graphql-ws binding", () => {
  it("sends every event of an operation, the frames of one tick in one corked write", async () => {
    const { binding, socket, tcp, message, types } = connect(countingSchema(20));
    message({ type: "connection_init" });
    await settle();
    expect(types()).toEqual(["connection_ack"]);
    message({ id: "1", type: "subscribe", payload: { query: "subscription { count }" } });
    await settle();
    const values = socket.sent.slice(1, -1).map((text) => (JSON.parse(text) as { payload: { data: { count: number } } }).payload.data.count);
    expect(values).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(types().at(-1)).toBe("complete");
    // Nothing waited on a write: far fewer corked writes than frames, and every cork was undone.
    expect(tcp.corks).toBeGreaterThan(0);
    expect(tcp.corks).toBeLessThan(10);
    expect(tcp.uncorks).toBe(tcp.corks);
    expect(socket.pendingCallbacks).toHaveLength(0);
    await binding.dispose();
  });

  it("waits for the write once a slow client has more than the high-water mark queued", async () => {
    const { binding, socket, message } = connect(countingSchema(5));
    message({ type: "connection_init" });
    await settle();
    socket.bufferedAmount = 2 << 20;
    message({ id: "1", type: "subscribe", payload: { query: "subscription { count }" } });
    await settle();
    // The first event's frame went out and the operation is parked on its write.
    expect(socket.sent).toHaveLength(2);
    expect(socket.pendingCallbacks).toHaveLength(1);
    socket.bufferedAmount = 0;
    socket.pendingCallbacks.shift()!();
    await settle();
    expect(socket.sent).toHaveLength(1 + 5 + 1);
    await binding.dispose();
  });

  it("runs at most 100 operations at once on a socket by default; one more errors, a stopped one frees its slot", async () => {
    const { binding, socket, message } = connect(waitingSchema());
    message({ type: "connection_init" });
    await settle();
    for (let i = 1; i <= 101; i++) message({ id: String(i), type: "subscribe", payload: { query: "subscription { wait }" } });
    await settle();
    const frames = () => socket.sent.slice(1).map((text) => JSON.parse(text) as { id: string; type: string; payload?: Array<{ extensions?: Record<string, unknown> }> });
    expect(frames()).toEqual([
      { id: "101", type: "error", payload: [expect.objectContaining({ extensions: { code: "TOO_MANY_OPERATIONS", limit: "maxOperationsPerSocket", maxOperationsPerSocket: 100 } })] },
    ]);
    message({ id: "1", type: "complete" });
    message({ id: "102", type: "subscribe", payload: { query: "{ ok }" } });
    await settle();
    expect(frames().slice(1)).toEqual([
      { id: "102", type: "next", payload: { data: { ok: "yes" } } },
      { id: "102", type: "complete" },
    ]);
    expect(socket.closedWith).toBeUndefined();
    await binding.dispose();
  });

  it("reports an internal error and closes the socket with 4500", async () => {
    const reported: unknown[] = [];
    const { binding, socket, message } = connect(countingSchema(1), {
      onConnect: () => {
        throw new Error("hook failed");
      },
      onInternalError: (error) => reported.push(error),
    });
    message({ type: "connection_init" });
    await settle();
    expect(reported.map((error) => (error as Error).message)).toEqual(["hook failed"]);
    expect(socket.closedWith).toBe(4500);
    await binding.dispose();
  });
});
