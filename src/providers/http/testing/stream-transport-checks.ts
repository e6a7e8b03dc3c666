/**
 * The transport checks every adapter test runs the same way, whatever the wire format: a refused
 * connection, an upstream that never answers, and a consumer that aborts or stops reading mid-stream.
 * The caller has the fake upstream send the provider's own bytes first; these check what follows.
 */
import { createServer, type AddressInfo } from "node:net";
import { Agent } from "undici";
import { expect, vi } from "vitest";
import type { ChatEvent, ChatRequest } from "../../../core/index.js";
import type { ProviderAdapter } from "../../spec.js";
import { createHttpClient, type HttpClient } from "../create-http-client.js";
import { collectEvents, providerFailure } from "./adapter-test-helpers.js";
import type { FakeUpstream } from "./start-fake-upstream.js";

/** An adapter whose base URL (`http://127.0.0.1:<port>`) has nothing listening: chat() and stream() fail `connection`. */
export async function expectRefusedConnection(createAdapter: (baseUrl: string) => ProviderAdapter, request: ChatRequest): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const dead = createAdapter(`http://127.0.0.1:${port}`);
  expect((await providerFailure(dead.chat(request))).kind).toBe("connection");
  expect((await providerFailure(dead.stream(request))).kind).toBe("connection");
  await dead.close?.();
}

/** The upstream never answers: chat() and stream() with `timeoutMs: 50` fail `timeout`, and their sockets close. */
export async function expectSilentUpstreamTimesOut(adapter: ProviderAdapter, request: ChatRequest, upstream: FakeUpstream): Promise<void> {
  upstream.handle(() => {
    // never answers
  });
  expect((await providerFailure(adapter.chat(request, { timeoutMs: 50 }))).kind).toBe("timeout");
  expect((await providerFailure(adapter.stream(request, { timeoutMs: 50 }))).kind).toBe("timeout");
  await Promise.all(upstream.requests.map((recorded) => recorded.socketClosed));
}

/**
 * The upstream sends what makes `first` and then nothing: aborting the signal at that event ends the
 * stream `cancelled` (not retryable) after it alone, and the upstream socket closes.
 */
export async function expectAbortMidStream(adapter: ProviderAdapter, request: ChatRequest, upstream: FakeUpstream, first: ChatEvent): Promise<void> {
  const controller = new AbortController();
  const { events } = await adapter.stream(request, { signal: controller.signal });
  const received: ChatEvent[] = [];
  const error = await providerFailure(
    (async () => {
      for await (const event of events) {
        received.push(event);
        controller.abort();
      }
    })(),
  );
  expect(received).toEqual([first]);
  expect(error.kind).toBe("cancelled");
  expect(error.retryable).toBe(false);
  await upstream.requests[0]?.socketClosed;
}

/** The upstream sends what makes `first` and then nothing: breaking out of the loop at that event closes the upstream socket. */
export async function expectBreakClosesSocket(adapter: ProviderAdapter, request: ChatRequest, upstream: FakeUpstream, first: ChatEvent): Promise<void> {
  const { events } = await adapter.stream(request);
  for await (const event of events) {
    expect(event).toEqual(first);
    break;
  }
  await upstream.requests[0]?.socketClosed;
}

/**
 * A stream read to its end gives its socket back: the adapter (made by `create` on a pool of its
 * own) drains what the upstream sends after the protocol's end, the pool holds the socket free, and
 * the next stream goes out on it (same client port at the upstream). Waits for the pool itself, not
 * for a fixed time, so a loaded machine cannot fail it.
 */
export async function expectSocketBackInPool(create: (httpClient: HttpClient) => ProviderAdapter, request: ChatRequest, upstream: FakeUpstream): Promise<void> {
  const agent = new Agent();
  const adapter = create(createHttpClient({ dispatcher: agent }));
  try {
    const before = upstream.requests.length;
    await collectEvents((await adapter.stream(request)).events);
    await vi.waitFor(() => expect(freeSockets(agent)).toBe(1), { timeout: 10_000, interval: 10 });
    await collectEvents((await adapter.stream(request)).events);
    const [first, second] = upstream.requests.slice(before);
    expect(second?.remotePort).toBe(first?.remotePort);
  } finally {
    await adapter.close?.();
    await agent.close();
  }
}

function freeSockets(agent: Agent): number {
  return Object.values(agent.stats).reduce((sum, stats) => sum + ("free" in stats ? stats.free : 0), 0);
}
