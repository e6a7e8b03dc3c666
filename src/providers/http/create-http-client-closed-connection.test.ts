import { readFileSync } from "node:fs";
import { createServer as createHttpsServer } from "node:https";
import { createServer, type AddressInfo, type Server, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ProviderError } from "../../core/index.js";
import { createHttpClient, type HttpClient } from "./create-http-client.js";

/**
 * A raw HTTP/1.1 upstream that answers the first request on each connection (keep-alive, with the
 * usual `Keep-Alive: timeout=5` hint) and then behaves per `mode`:
 *  - "close-reused": closes the connection the moment the next request's bytes arrive, without
 *    reading or answering it: the keep-alive race, where the upstream's idle timer fires just as
 *    the client reuses the connection;
 *  - "reset-reused": the same, but with a TCP reset (the client reads ECONNRESET, no socket named):
 *    what the upstream's kernel sends when its idle timer closes a socket holding unread bytes;
 *  - "close-all": closes every connection as soon as the first request arrives.
 */
interface ClosingUpstream {
  url: string;
  /** Requests answered (the upstream ran them). */
  answered: number;
  /** Requests whose connection was closed under them. */
  closedUnanswered: number;
  connections: number;
  close(): Promise<void>;
}

const ANSWER = '{"ok":true}';
type Mode = "close-reused" | "reset-reused" | "close-all";

async function startClosingUpstream(mode: Mode): Promise<ClosingUpstream> {
  const sockets = new Set<Socket>();
  const state = { answered: 0, closedUnanswered: 0, connections: 0 };
  const server: Server = createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    let served = 0;
    let buffered = "";
    socket.on("data", (chunk: Buffer) => {
      if (mode === "close-all" || served > 0) {
        state.closedUnanswered++;
        socket.removeAllListeners("data");
        if (mode === "reset-reused") socket.resetAndDestroy();
        else socket.end();
        return;
      }
      buffered += chunk.toString("latin1");
      const headEnd = buffered.indexOf("\r\n\r\n");
      if (headEnd < 0) return;
      const length = Number(/content-length: *(\d+)/i.exec(buffered.slice(0, headEnd))?.[1] ?? 0);
      if (buffered.length < headEnd + 4 + length) return;
      buffered = "";
      served++;
      state.answered++;
      socket.write(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nconnection: keep-alive\r\nkeep-alive: timeout=5\r\n" +
          `content-length: ${ANSWER.length}\r\n\r\n${ANSWER}`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get answered() {
      return state.answered;
    },
    get closedUnanswered() {
      return state.closedUnanswered;
    },
    get connections() {
      return state.connections;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((closable) => closable.close()));
});

const start = async (mode: Mode): Promise<{ upstream: ClosingUpstream; client: HttpClient }> => {
  const upstream = await startClosingUpstream(mode);
  const client = createHttpClient({ connections: 1 });
  open.push(client, upstream);
  return { upstream, client };
};

const post = async (client: HttpClient, url: string): Promise<string> => {
  const response = await client.postJson(`${url}/v1/chat/completions`, { n: 1 }, { provider: "p", timeoutMs: 5000 });
  return response.text();
};

describe("createHttpClient when the upstream closes a connection without answering", () => {
  it.each([
    ["closed as it went out", "close-reused"],
    ["reset as the request arrives (ECONNRESET)", "reset-reused"],
  ] as const)("sends the request again on a new connection when a reused one was %s", async (_how, mode) => {
    const { upstream, client } = await start(mode);
    expect(await post(client, upstream.url)).toBe(ANSWER);
    // undici frees the socket just after the body ends; the next request reuses it.
    await new Promise((resolve) => setImmediate(resolve));
    expect(await post(client, upstream.url)).toBe(ANSWER);
    expect({ answered: upstream.answered, closedUnanswered: upstream.closedUnanswered, connections: upstream.connections }).toEqual({
      answered: 2,
      closedUnanswered: 1,
      connections: 2,
    });
  });

  it("does not send it again when a fresh connection is closed under it", async () => {
    const { upstream, client } = await start("close-all");
    const error = await post(client, upstream.url).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: "connection", code: "UND_ERR_SOCKET" });
    expect({ closedUnanswered: upstream.closedUnanswered, connections: upstream.connections }).toEqual({ closedUnanswered: 1, connections: 1 });
  });

  it("still trusts the configured `ca` over HTTP/1.1 through its own connector", async () => {
    // The fixed self-signed certificate for 127.0.0.1 of the HTTP/2 tests.
    const cert = readFileSync(new URL("./testing/h2-test-cert.pem", import.meta.url), "utf8");
    const key = readFileSync(new URL("./testing/h2-test-key.pem", import.meta.url), "utf8");
    const server = createHttpsServer({ key, cert }, (_request, response) => {
      response.writeHead(200, { "content-type": "application/json" }).end(ANSWER);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const client = createHttpClient({ ca: cert });
    open.push(client, { close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    expect(await post(client, `https://127.0.0.1:${(server.address() as AddressInfo).port}`)).toBe(ANSWER);
  });
});
