import { connect, type Socket } from "node:net";
import { sql } from "drizzle-orm";
import { print } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CompletionStreamDocument, DeploymentHealthChangedDocument } from "../gql/graphql.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";

// A stream of about a second: long enough to be in flight when the drain begins. The grace is far
// longer than the test may run: a drain that waited for the health feed (which never ends) would time out.
const CONFIG = `
server: { shutdownGraceMs: 120000 }
models:
  - name: fast
    retries: 0
    deployments:
      - { id: sim-fast, provider: simulator, model: gpt-4o-mini, simulate: { outputTokens: 5 } }
  - name: slow
    retries: 0
    deployments:
      - { id: sim-slow, provider: simulator, model: gpt-4o-mini, simulate: { tokensPerSecond: 40, outputTokens: 40 } }
`;

/** A raw keep-alive connection: what was received so far, and when the server closed it. */
function openSocket(port: number) {
  const socket: Socket = connect(port, "127.0.0.1");
  let received = "";
  const waiters: Array<{ test: (text: string) => boolean; resolve: () => void }> = [];
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    received += chunk;
    for (const waiter of [...waiters]) if (waiter.test(received)) waiters.splice(waiters.indexOf(waiter), 1) && waiter.resolve();
  });
  socket.on("error", () => {});
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  return {
    send(method: string, path: string, body?: unknown) {
      const text = body === undefined ? "" : JSON.stringify(body);
      socket.write(`${method} ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    },
    until: (test: (text: string) => boolean) =>
      new Promise<void>((resolve) => (test(received) ? resolve() : waiters.push({ test, resolve }))),
    closed,
    received: () => received,
  };
}

const chat = (model: string, stream: boolean) => ({ model, stream, messages: [{ role: "user", content: "hello" }] });

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(CONFIG);
});
afterAll(async () => {
  await gateway?.close();
});

describe("closing the server (SIGTERM)", () => {
  it("answers requests that arrive on kept-alive sockets with 503 and connection: close, and finishes those in flight, WebSocket operations included", async () => {
    const port = Number(new URL(gateway.url).port);
    const streamThenV1 = openSocket(port);
    const streamThenGraphQL = openSocket(port);
    const notYetAnswered = openSocket(port);
    const idle = openSocket(port);
    idle.send("GET", "/healthz");
    await idle.until((text) => text.includes('{"status":"ok"}'));
    streamThenV1.send("POST", "/v1/chat/completions", chat("slow", true));
    streamThenGraphQL.send("POST", "/v1/chat/completions", chat("slow", true));
    notYetAnswered.send("POST", "/v1/chat/completions", chat("slow", false));
    const ws = gateway.wsClient();
    const subscription = ws.iterate<{ completionStream: { done: boolean } }>({
      query: print(CompletionStreamDocument),
      variables: { input: { model: "slow", messages: [{ role: "USER", content: "hello" }] } },
    });
    const firstEvent = await subscription.next();
    const feed = gateway.wsClient();
    const feedEnded = (async () => {
      try {
        for await (const _event of feed.iterate({ query: print(DeploymentHealthChangedDocument), variables: {} })) void _event;
      } catch {
        // The socket closing at shutdown ends the feed with an error or a close: either is an end.
      }
    })();
    // The server registers an operation as soon as its message arrives: an answer to a later one on the same socket means the feed is running.
    expect((await feed.iterate({ query: "{ __typename }" }).next()).value).toEqual({ data: { __typename: "Query" } });
    // Both streams have sent their headers and first chunks, and the subscription its first event: they are in flight.
    await Promise.all([streamThenV1, streamThenGraphQL].map((s) => s.until((text) => text.includes("chat.completion.chunk"))));

    const closing = gateway.switchyard.close();
    streamThenV1.send("POST", "/v1/chat/completions", chat("fast", false));
    streamThenGraphQL.send("POST", "/graphql", { query: 'mutation { complete(input: { model: "fast", messages: [{ role: USER, content: "hi" }] }) { id } }' });
    const lateOperation = await ws
      .iterate({ query: 'mutation { complete(input: { model: "fast", messages: [{ role: USER, content: "hi" }] }) { id } }' })
      .next()
      .then(
        () => "answered",
        (errors: unknown) => errors,
      );
    const events = [firstEvent.value!];
    for await (const event of { [Symbol.asyncIterator]: () => subscription }) events.push(event);
    await closing;
    await feedEnded;
    await Promise.all([streamThenV1.closed, streamThenGraphQL.closed, notYetAnswered.closed, idle.closed]);

    for (const socket of [streamThenV1, streamThenGraphQL]) {
      const [first, second] = socket.received().split(/(?=HTTP\/1\.1 )/);
      expect(first).toMatch(/^HTTP\/1\.1 200 /);
      expect(first).toContain("data: [DONE]");
      expect(second).toMatch(/^HTTP\/1\.1 503 /);
      expect(second!.toLowerCase()).toContain("connection: close");
    }
    expect(JSON.parse(bodyOf(streamThenV1.received()))).toEqual({
      error: { message: expect.stringMatching(/shutting down/), type: "server_error", param: null, code: "unavailable" },
    });
    expect(JSON.parse(bodyOf(streamThenGraphQL.received()))).toEqual({
      errors: [{ message: expect.stringMatching(/shutting down/), extensions: { code: "UNAVAILABLE" } }],
    });
    // The answer that had not begun when the drain started tells its client not to reuse the socket.
    expect(notYetAnswered.received()).toMatch(/^HTTP\/1\.1 200 /);
    expect(notYetAnswered.received().toLowerCase()).toContain("connection: close");
    expect(notYetAnswered.received()).toContain('"object":"chat.completion"');

    // The subscription running on a WebSocket ran to its end; an operation sent after the drain began was refused.
    expect(events.every((event) => event.errors === undefined)).toBe(true);
    expect(events.at(-1)!.data!.completionStream.done).toBe(true);
    expect(lateOperation).toEqual([expect.objectContaining({ message: expect.stringMatching(/shutting down/), extensions: { code: "UNAVAILABLE" } })]);

    // The four answered calls are stored as answered; the three refused ones never started.
    const rows = (await gateway.switchyard.database.db.execute(sql`select status, model_group from calls order by model_group`)) as unknown as {
      rows: Array<{ status: string; model_group: string }>;
    };
    expect(rows.rows).toEqual([
      { status: "SUCCESS", model_group: "slow" },
      { status: "SUCCESS", model_group: "slow" },
      { status: "SUCCESS", model_group: "slow" },
      { status: "SUCCESS", model_group: "slow" },
    ]);
  }, 30_000);
});

/** The body of the last response on a connection (after its blank line; a chunked body is not expected here). */
function bodyOf(received: string): string {
  const last = received.slice(received.lastIndexOf("HTTP/1.1 "));
  return last.slice(last.indexOf("\r\n\r\n") + 4);
}
