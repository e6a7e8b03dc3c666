import { createServer, type Http2Server, type ServerHttp2Session } from "node:http2";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient } from "./create-http-client.js";

// An HTTP/2 upstream (cleartext, prior knowledge: what `http2: true` speaks to an http:// origin).
let server: Http2Server;
let url: string;
const sessions = new Set<ServerHttp2Session>();
let streams = 0;
let open = 0;
let peakOpen = 0;

beforeAll(async () => {
  server = createServer();
  server.on("session", (session) => sessions.add(session));
  server.on("stream", (stream, headers) => {
    streams++;
    peakOpen = Math.max(peakOpen, ++open);
    let body = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => (body += chunk));
    stream.on("end", () => {
      stream.respond({ ":status": 200, "content-type": "text/event-stream" });
      stream.write(`data: ${body}\n\n`);
      // Every stream stays open a while, so they overlap on the one session.
      setTimeout(() => {
        open--;
        stream.end(`data: ${String(headers[":path"])}\n\ndata: [DONE]\n\n`);
      }, 200);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const session of sessions) session.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("createHttpClient with http2", () => {
  it("carries many concurrent streams over one HTTP/2 connection", async () => {
    const client = createHttpClient({ http2: true, connections: 1 });
    try {
      const texts = await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          const response = await client.postJson(`${url}/v1/chat/completions?n=${i}`, { n: i }, { provider: "p", timeoutMs: 5_000, timeoutScope: "headers" });
          expect(response.status).toBe(200);
          return response.text();
        }),
      );
      expect(texts).toEqual(Array.from({ length: 40 }, (_, i) => `data: {"n":${i}}\n\ndata: /v1/chat/completions?n=${i}\n\ndata: [DONE]\n\n`));
      expect(streams).toBe(40);
      expect(sessions.size).toBe(1);
      // More than one at a time on that one connection (an HTTP/1.1 pool of 1 would show 1).
      expect(peakOpen).toBeGreaterThan(1);
    } finally {
      await client.close();
    }
  });
});
