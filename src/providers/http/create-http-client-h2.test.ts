import { readFileSync } from "node:fs";
import { createSecureServer, createServer, type Http2Server, type ServerHttp2Session } from "node:http2";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpClient, DEFAULT_H2_CONNECTIONS } from "./create-http-client.js";

// A fixed self-signed certificate for 127.0.0.1 (valid until 2126), made once with openssl.
const cert = readFileSync(new URL("./testing/h2-test-cert.pem", import.meta.url), "utf8");
const key = readFileSync(new URL("./testing/h2-test-key.pem", import.meta.url), "utf8");

interface H2Upstream {
  url: string;
  sessions: Set<ServerHttp2Session>;
  streams: () => number;
  peakOpen: () => number;
  close(): Promise<void>;
}

/** An HTTP/2 upstream whose streams each stay open 200 ms, counting sessions and overlapping streams. */
async function startH2Upstream(tls: boolean): Promise<H2Upstream> {
  const server: Http2Server = tls ? createSecureServer({ key, cert, allowHTTP1: true }) : createServer();
  const sessions = new Set<ServerHttp2Session>();
  let streams = 0;
  let open = 0;
  let peakOpen = 0;
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
      setTimeout(() => {
        open--;
        stream.end(`data: ${String(headers[":path"])}\n\ndata: [DONE]\n\n`);
      }, 200);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `${tls ? "https" : "http"}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    sessions,
    streams: () => streams,
    peakOpen: () => peakOpen,
    close: async () => {
      for (const session of sessions) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let upstream: H2Upstream | undefined;
afterEach(async () => {
  await upstream?.close();
});

describe("createHttpClient with http2", () => {
  it.each([
    ["h2c (prior knowledge) on http", false, 1],
    ["h2 (ALPN) on https", true, 1],
    // More than one connection is undici's Pool, whose own connector would not speak h2c.
    ["h2c on http, the default pool", false, undefined],
    ["h2 on https, the default pool", true, undefined],
  ])("carries many concurrent streams over few connections: %s", async (_name, tls, connections) => {
    const fake = (upstream = await startH2Upstream(tls));
    const client = createHttpClient({ http2: true, ...(connections !== undefined ? { connections } : {}), ...(tls ? { ca: cert } : {}) });
    // The default pool opens a connection per request while none has connected yet: more requests than it has connections.
    const count = connections === undefined ? 2 * DEFAULT_H2_CONNECTIONS : 40;
    try {
      const texts = await Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const response = await client.postJson(`${fake.url}/v1/chat/completions?n=${i}`, { n: i }, { provider: "p", timeoutMs: 5_000, timeoutScope: "headers" });
          expect(response.status).toBe(200);
          return response.text();
        }),
      );
      expect(texts).toEqual(Array.from({ length: count }, (_, i) => `data: {"n":${i}}\n\ndata: /v1/chat/completions?n=${i}\n\ndata: [DONE]\n\n`));
      expect(fake.streams()).toBe(count);
      expect(fake.sessions.size).toBeLessThanOrEqual(connections ?? DEFAULT_H2_CONNECTIONS);
      if (tls) expect([...fake.sessions].every((session) => session.alpnProtocol === "h2")).toBe(true);
      // More than one at a time on a connection (an HTTP/1.1 pool would show at most one per connection).
      expect(fake.peakOpen()).toBeGreaterThan(fake.sessions.size);
    } finally {
      await client.close();
    }
  });
});
