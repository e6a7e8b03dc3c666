import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CONNECTION_WAIT_CODE, ProviderError } from "../../core/index.js";
import { createHttpClient, type HttpClient } from "./create-http-client.js";
import { mapTransportError } from "./map-transport-error.js";
import { startFakeUpstream, type FakeUpstream } from "./testing/start-fake-upstream.js";

let upstream: FakeUpstream;
let client: HttpClient;

beforeAll(async () => {
  upstream = await startFakeUpstream();
  client = createHttpClient();
});
afterAll(async () => {
  await client.close();
  await upstream.close();
});
afterEach(() => {
  upstream.requests.length = 0;
});

const rejection = async (promise: Promise<unknown>): Promise<ProviderError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ProviderError) return error;
    throw error;
  }
  throw new Error("expected a rejection");
};

const freePort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};

describe("createHttpClient", () => {
  it("posts JSON and keeps the connection alive between calls", async () => {
    upstream.handle((request, response) => {
      response.writeHead(200, { "content-type": "application/json" }).end(`{"echo":${request.body}}`);
    });
    for (const n of [1, 2, 3]) {
      const response = await client.postJson(`${upstream.url}/v1/x?y=1`, { n }, { provider: "p", headers: { "x-a": "b" } });
      expect(response.status).toBe(200);
      expect(JSON.parse(await response.text())).toEqual({ echo: { n } });
      // undici frees the socket just after the body ends.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(upstream.requests.map((r) => [r.method, r.path, r.headers["x-a"], r.headers["content-type"]])).toEqual([
      ["POST", "/v1/x?y=1", "b", "application/json"],
      ["POST", "/v1/x?y=1", "b", "application/json"],
      ["POST", "/v1/x?y=1", "b", "application/json"],
    ]);
    expect(new Set(upstream.requests.map((r) => r.remotePort)).size).toBe(1);
  });

  it("release() after the protocol's end drains the rest so the socket is reused", async () => {
    upstream.handle((_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write("data: [DONE]\n\n");
      setTimeout(() => response.end(": trailing bytes after the end marker\n\n"), 20);
    });
    const fresh = createHttpClient();
    for (let i = 0; i < 2; i++) {
      const response = await fresh.postJson({ origin: upstream.url, path: "/s" }, "{}", { provider: "p" });
      for await (const chunk of response.body) {
        if (Buffer.from(chunk).toString().includes("[DONE]")) break;
      }
      response.release();
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await fresh.close();
    const [first, second] = upstream.requests;
    expect(second?.remotePort).toBe(first?.remotePort);
  });

  it("release() gives up on a body that never ends after the protocol's end: the socket is closed", async () => {
    upstream.handle((_request, response) => {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write("data: [DONE]\n\n"); // and never ends
    });
    const fresh = createHttpClient();
    const response = await fresh.postJson({ origin: upstream.url, path: "/s" }, "{}", { provider: "p" });
    for await (const chunk of response.body) {
      if (Buffer.from(chunk).toString().includes("[DONE]")) break;
    }
    response.release();
    await upstream.requests.at(-1)!.socketClosed;
    await fresh.close();
  });

  it("abort() mid-body closes the socket", async () => {
    upstream.handle((_request, response) => {
      response.writeHead(200).write("partial");
    });
    const response = await client.postJson(`${upstream.url}/a`, {}, { provider: "p" });
    response.abort();
    await upstream.requests[0]?.socketClosed;
    expect(upstream.requests).toHaveLength(1);
  });

  it("text(maxBytes) keeps only the first bytes", async () => {
    upstream.handle((_request, response) => {
      response.writeHead(500).end("x".repeat(10_000));
    });
    const response = await client.postJson(`${upstream.url}/t`, {}, { provider: "p" });
    expect(await response.text(100)).toBe("x".repeat(100));
  });

  it("text() decodes UTF-8 cut across chunks, drops a leading BOM and turns malformed bytes into U+FFFD", async () => {
    const euro = Buffer.from("€", "utf8");
    upstream.handle((_request, response) => {
      response.writeHead(200);
      response.write(Buffer.from([0xef, 0xbb, 0xbf, 0x61, euro[0]!]));
      setTimeout(() => response.end(Buffer.from([euro[1]!, euro[2]!, 0xff, 0x62])), 20);
    });
    const response = await client.postJson(`${upstream.url}/u`, {}, { provider: "p" });
    expect(await response.text()).toBe("a€\uFFFDb");
  });

  it("maps a refused connection to `connection` (retryable)", async () => {
    const port = await freePort();
    const error = await rejection(client.postJson(`http://127.0.0.1:${port}/v1`, {}, { provider: "p" }));
    expect(error.kind).toBe("connection");
    expect(error.provider).toBe("p");
    expect(error.retryable).toBe(true);
  });

  it("maps our deadline to `timeout` and closes the socket", async () => {
    upstream.handle(() => {
      // never answers
    });
    const error = await rejection(client.postJson(`${upstream.url}/slow`, {}, { provider: "p", timeoutMs: 50 }));
    expect(error.kind).toBe("timeout");
    expect(error.retryable).toBe(true);
    await upstream.requests[0]?.socketClosed;
  });

  it("with timeoutScope headers, a 2xx body may take longer than timeoutMs", async () => {
    upstream.handle((_request, response) => {
      response.writeHead(200).write("a");
      setTimeout(() => response.end("b"), 400);
    });
    const response = await client.postJson(`${upstream.url}/h`, {}, { provider: "p", timeoutMs: 200, timeoutScope: "headers" });
    expect(await response.text()).toBe("ab");
  });

  it("with the default scope the deadline also covers the body", async () => {
    upstream.handle((_request, response) => {
      response.writeHead(200).write("a");
    });
    const response = await client.postJson(`${upstream.url}/r`, {}, { provider: "p", timeoutMs: 60 });
    const error = await rejection(response.text());
    expect(error.kind).toBe("timeout");
  });

  it("maps the caller's abort to `cancelled`, not retryable, before and after headers", async () => {
    upstream.handle(() => {
      // never answers
    });
    const controller = new AbortController();
    const pending = client.postJson(`${upstream.url}/c`, {}, { provider: "p", signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    const error = await rejection(pending);
    expect(error.kind).toBe("cancelled");
    expect(error.retryable).toBe(false);
    await upstream.requests[0]?.socketClosed;

    const early = await rejection(client.postJson(`${upstream.url}/c`, {}, { provider: "p", signal: controller.signal }));
    expect(early.kind).toBe("cancelled");

    upstream.handle((_request, response) => {
      response.writeHead(200).write("first");
    });
    const midBody = new AbortController();
    const response = await client.postJson(`${upstream.url}/c`, {}, { provider: "p", signal: midBody.signal });
    const reading = (async () => {
      for await (const _ of response.body) midBody.abort();
    })();
    const bodyError = await rejection(reading.catch((e: unknown) => Promise.reject(mapTransportError(e, "p"))));
    expect(bodyError.kind).toBe("cancelled");
  });

  it("maps a socket cut mid-body to `connection`", async () => {
    upstream.handle((_request, response) => {
      response.writeHead(200).write("some");
      setTimeout(() => response.socket?.destroy(), 10);
    });
    const response = await client.postJson(`${upstream.url}/cut`, {}, { provider: "p" });
    const error = await rejection(response.text());
    expect(error.kind).toBe("connection");
  });

  it("starts a stream's deadline once it has a connection, and names a wait for one that never came", async () => {
    const small = createHttpClient({ connections: 1 });
    upstream.handle((request, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      if (request.path === "/hold") {
        response.flushHeaders();
        setTimeout(() => response.end("held"), 300);
      }
      else response.end("ok");
    });
    try {
      const holding = await small.postJson(`${upstream.url}/hold`, {}, { provider: "p" });
      const events: string[] = [];
      // Waits ~300 ms for the one connection, more than its 100 ms deadline, which only starts once sent.
      const queued = small.postJson(`${upstream.url}/next`, {}, {
        provider: "p", timeoutMs: 100, timeoutScope: "headers", queueTimeoutMs: 10_000,
        onWaiting: () => events.push("waiting"), onSent: () => events.push("sent"),
      });
      const plain = await rejection(small.postJson(`${upstream.url}/plain`, {}, { provider: "p", timeoutMs: 50 }));
      expect([plain.kind, plain.code, plain.retryable]).toEqual(["connection", CONNECTION_WAIT_CODE, true]);
      expect(plain.message).toMatch(/^waited \d+ ms for a connection to http:\/\/127\.0\.0\.1:\d+ \(pool of 1 full\)$/);
      expect(await holding.text()).toBe("held");
      const next = await queued;
      expect(await next.text()).toBe("ok");
      expect(events).toEqual(["waiting", "sent"]);
    } finally {
      await small.close();
    }
  });
});
