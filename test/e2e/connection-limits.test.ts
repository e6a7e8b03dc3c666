import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";

// Deadlines far below the defaults (15 s headers, 60 s request), so silent sockets are closed within the test;
// the stream below lasts longer than the whole request deadline.
const models = `
models:
  - name: slow
    retries: 0
    deployments:
      - { id: sim-slow, provider: simulator, model: gpt-4o-mini, simulate: { tokensPerSecond: 40, outputTokens: 60 } }
`;
const SHORT_DEADLINES = `server: { headersTimeoutMs: 300, requestTimeoutMs: 600, keepAliveTimeoutMs: 300 }\n${models}`;

let gateway: TestGateway;
let capped: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(SHORT_DEADLINES);
  capped = await startTestGateway(`server: { maxConnections: 3 }\n${models}`, { shareDatabaseOf: gateway });
});
afterAll(async () => {
  await capped?.close();
  await gateway?.close();
});

/** A raw connection to the gateway: everything it received, and a promise of its close. */
function rawSocket(url: string) {
  const socket: Socket = connect(Number(new URL(url).port), "127.0.0.1");
  let received = "";
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => (received += chunk));
  socket.on("error", () => {});
  const closed = new Promise<string>((resolve) => socket.once("close", () => resolve(received)));
  const connected = new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  return { socket, closed, connected };
}

describe("connections that send nothing or too little", () => {
  it("closes a socket that never sends a byte (408)", async () => {
    const { closed } = rawSocket(gateway.url);
    expect(await closed).toMatch(/^HTTP\/1\.1 408 /);
  });

  it("closes a slowloris: headers one byte at a time that never end", async () => {
    const { socket, closed } = rawSocket(gateway.url);
    const request = `GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\nx-padding: ${"a".repeat(10_000)}`;
    let sent = 0;
    // A byte every 20 ms keeps the socket busy far beyond the 300 ms deadline if nothing enforces it.
    const drip = setInterval(() => (socket.destroyed ? clearInterval(drip) : socket.write(request[sent++ % request.length]!)), 20);
    try {
      expect(await closed).toMatch(/^HTTP\/1\.1 408 /);
      expect(sent).toBeLessThan(request.length);
    } finally {
      clearInterval(drip);
    }
  });

  it("closes a kept-alive socket left idle after its answer", async () => {
    const { socket, closed } = rawSocket(gateway.url);
    socket.write("GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
    const received = await closed;
    expect(received).toMatch(/^HTTP\/1\.1 200 /);
    expect(received).toContain('{"status":"ok"}');
  });

  it("does not cut a streamed answer that lasts longer than the request deadline", async () => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "slow", stream: true, messages: [{ role: "user", content: "tell me" }] }),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    const chunks = text.split("\n\n").filter((event) => event.startsWith("data: {"));
    expect(chunks.length).toBeGreaterThan(10);
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });
});

describe("server.maxConnections", () => {
  it("closes connections past the cap on accept, and accepts again once one is gone", async () => {
    const held = [rawSocket(capped.url), rawSocket(capped.url), rawSocket(capped.url)];
    await Promise.all(held.map((s) => s.connected));
    await new Promise<void>((resolve) => {
      const check = () => capped.switchyard.server.httpServer.getConnections((_error, count) => (count >= 3 ? resolve() : setTimeout(check, 5)));
      check();
    });
    const refused = rawSocket(capped.url);
    refused.socket.write("GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n");
    expect(await refused.closed).toBe("");

    held[0]!.socket.destroy();
    await held[0]!.closed;
    await new Promise<void>((resolve) => {
      const check = () => capped.switchyard.server.httpServer.getConnections((_error, count) => (count < 3 ? resolve() : setTimeout(check, 5)));
      check();
    });
    const response = await fetch(`${capped.url}/healthz`, { headers: { connection: "close" } });
    expect(response.status).toBe(200);
    for (const s of held) s.socket.destroy();
  });
});
