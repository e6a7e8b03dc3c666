import { readFileSync } from "node:fs";
import { createSecureServer, createServer, type Http2Server, type ServerHttp2Session } from "node:http2";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpClient } from "./create-http-client.js";

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
    ["h2c (prior knowledge) on http", false],
    ["h2 (ALPN) on https", true],
  ])("carries many concurrent streams over one connection: %s", async (_name, tls) => {
    const fake = (upstream = await startH2Upstream(tls));
    const client = createHttpClient({ http2: true, connections: 1, ...(tls ? { ca: cert } : {}) });
    try {
      const texts = await Promise.all(
        Array.from({ length: 40 }, async (_, i) => {
          const response = await client.postJson(`${fake.url}/v1/chat/completions?n=${i}`, { n: i }, { provider: "p", timeoutMs: 5_000, timeoutScope: "headers" });
          expect(response.status).toBe(200);
          return response.text();
        }),
      );
      expect(texts).toEqual(Array.from({ length: 40 }, (_, i) => `data: {"n":${i}}\n\ndata: /v1/chat/completions?n=${i}\n\ndata: [DONE]\n\n`));
      expect(fake.streams()).toBe(40);
      expect(fake.sessions.size).toBe(1);
      if (tls) expect([...fake.sessions][0]!.alpnProtocol).toBe("h2");
      // More than one at a time on that one connection (an HTTP/1.1 pool of 1 would show 1).
      expect(fake.peakOpen()).toBeGreaterThan(1);
    } finally {
      await client.close();
    }
  });
});
