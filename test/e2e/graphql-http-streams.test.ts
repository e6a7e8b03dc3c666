import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { print } from "@apollo/client/utilities";
import { createClient as createSseClient } from "graphql-sse";
import { Observable } from "rxjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fragmentDoublingDocument } from "../../bench/hostile-documents.js";
import { CallDocument } from "../gql/graphql.js";
import type { TestGateway } from "../helpers/start-test-gateway.js";
import { MASTER_KEY, STREAM, apolloClient, persisted, startSafelistGateway, type SafelistGateway, type StreamEvent } from "./apollo-client-helpers.js";

let gateway: TestGateway;
let safelistKey: string;
let graphqlPost: SafelistGateway["post"];
let started: SafelistGateway;
beforeAll(async () => {
  started = await startSafelistGateway();
  ({ gateway, safelistKey, post: graphqlPost } = started);
});
afterAll(async () => {
  await started?.close();
});

describe("completionStream over HTTP (Apollo's multipart subscriptions)", () => {
  it("streams a completion to Apollo Client's HttpLink, completes, and records the call", async () => {
    const { client, sent } = apolloClient(gateway.url, safelistKey, { persisted: true });
    const events: StreamEvent[] = [];
    await new Promise<void>((resolve, reject) => {
      client.subscribe<{ completionStream: StreamEvent }>({ query: STREAM, variables: { input: { model: "fast", messages: [{ role: "USER", content: "Tell me something" }] } } }).subscribe({
        next: (result) => {
          if (result.error) reject(result.error);
          else events.push(result.data!.completionStream);
        },
        error: reject,
        complete: resolve,
      });
    });
    expect(sent[0]!.body?.query).toBeUndefined(); // safelisted: found by hash alone
    expect(events.map((e) => e.index)).toEqual(events.map((_, i) => i));
    expect(events.filter((e) => !e.done).every((e) => typeof e.delta === "string")).toBe(true);
    expect(events.filter((e) => !e.done).length).toBeGreaterThan(1);
    const last = events[events.length - 1]!;
    expect(last.done).toBe(true);
    expect(last.finishReason).toBe("STOP");

    await gateway.flush();
    const call = (await gateway.execute(CallDocument, { id: last.callId })).data!.call!;
    expect(call.streamed).toBe(true);
    expect(call.status).toBe("SUCCESS");
  });

  it("cancels the upstream request when the client leaves, and records CANCELLED", async () => {
    const simulator = gateway.switchyard.simulator!;
    const abort = new AbortController();
    const response = await fetch(`${gateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${MASTER_KEY}`, accept: "multipart/mixed;boundary=graphql;subscriptionSpec=1.0" },
      body: JSON.stringify({ query: 'subscription { completionStream(input: { model: "slow", messages: [{ role: USER, content: "go on" }] }) { callId index } }' }),
      signal: abort.signal,
    });
    const reader = response.body!.getReader();
    let text = "";
    while (!/"callId":"([^"]+)"/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    const callId = /"callId":"([^"]+)"/.exec(text)![1]!;
    abort.abort();
    await waitFor(() => simulator.stats.open === 0, "the upstream connection to close");
    await waitFor(async () => {
      await gateway.flush();
      return (await gateway.execute(CallDocument, { id: callId })).data?.call?.status === "CANCELLED";
    }, "the CANCELLED row");
  });

  it.each([
    { door: "/graphql", path: "/graphql", accept: "application/json" },
    { door: "/graphql/stream (graphql-sse, distinct connections mode)", path: "/graphql/stream", accept: "text/event-stream" },
  ])("cancels the upstream request when the client leaves before a complete mutation's answer over $door", async ({ path, accept }) => {
    const simulator = gateway.switchyard.simulator!;
    const leave = new AbortController();
    const opened = simulator.stats.open;
    const answer = fetch(`${gateway.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${MASTER_KEY}`, accept },
      body: JSON.stringify({ query: 'mutation { complete(input: { model: "slow", messages: [{ role: USER, content: "take your time" }] }) { id } }' }),
      signal: leave.signal,
    });
    await waitFor(() => simulator.stats.open > opened, "the upstream request to start");
    leave.abort();
    await expect(answer).rejects.toThrow();
    await waitFor(() => simulator.stats.open === opened, "the upstream connection to close");
  });

  it("speaks the wire format: boundary parts with payloads, the closing boundary; a subscription without it is refused", async () => {
    const query = 'subscription { completionStream(input: { model: "fast", messages: [{ role: USER, content: "hi" }] }) { index done } }';
    const streamed = await graphqlPost({ query }, { accept: 'multipart/mixed;boundary="graphql";subscriptionSpec=1.0,application/json' });
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get("content-type")).toBe('multipart/mixed;boundary="graphql";subscriptionSpec="1.0"');
    expect(streamed.text.startsWith('\r\n--graphql\r\ncontent-type: application/json; charset=utf-8\r\n\r\n{"payload":{"data":{"completionStream":{"index":0,"done":false}}}}')).toBe(true);
    expect(streamed.text).toMatch(/\{"payload":\{"data":\{"completionStream":\{"index":\d+,"done":true\}\}\}\}\r\n--graphql--\r\n$/);

    const plain = await graphqlPost({ query });
    expect(plain.status).toBe(400);
    expect(plain.body.errors[0].message).toMatch(/multipart/);
  });

  it("answers a subscription's unknown hash with PersistedQueryNotFound, and a hostile one with the typed limit error", async () => {
    const accept = "multipart/mixed;boundary=graphql;subscriptionSpec=1.0";
    const query = 'subscription { completionStream(input: { model: "fast", messages: [{ role: USER, content: "x" }] }) { done } }';
    const miss = await graphqlPost({ extensions: persisted(query) }, { accept });
    expect(miss.body).toEqual({ errors: [{ message: "PersistedQueryNotFound", extensions: { code: "PERSISTED_QUERY_NOT_FOUND" } }] });
    const registered = await graphqlPost({ query, extensions: persisted(query) }, { accept });
    expect(registered.text).toContain("--graphql--");
    const hit = await graphqlPost({ extensions: persisted(query) }, { accept });
    expect(hit.text).toContain('{"payload":{"data":{"completionStream":{"done":true}}}}');

    const hostile = `subscription { completionStream(input: { model: "fast", messages: [{ role: USER, content: "x" }] }) { ${Array.from({ length: 10_001 }, (_, i) => `a${i}: done`).join(" ")} } }`;
    const refused = await graphqlPost({ query: hostile }, { accept });
    expect(refused.status).toBe(413);
  });
});

async function waitFor(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** graphql-sse's recipe for Apollo Client: a terminating link over Server-Sent Events. */
function sseLink(url: string, key: string, singleConnection: boolean): ApolloLink {
  const client = createSseClient({ url: `${url}/graphql/stream`, headers: { authorization: `Bearer ${key}` }, singleConnection, retryAttempts: 0 });
  return new ApolloLink(
    (operation) =>
      new Observable((observer) =>
        client.subscribe<never>(
          { ...operation, query: print(operation.query) },
          { next: (value) => observer.next(value as never), complete: () => observer.complete(), error: (error) => observer.error(error) },
        ),
      ),
  );
}

describe("completionStream over Server-Sent Events (graphql-sse on /graphql/stream)", () => {
  for (const singleConnection of [false, true]) {
    it(`streams a completion to Apollo Client and records the call (${singleConnection ? "single connection" : "distinct connections"} mode)`, async () => {
      const client = new ApolloClient({ link: sseLink(gateway.url, MASTER_KEY, singleConnection), cache: new InMemoryCache() });
      const events: StreamEvent[] = [];
      await new Promise<void>((resolve, reject) => {
        client.subscribe<{ completionStream: StreamEvent }>({ query: STREAM, variables: { input: { model: "fast", messages: [{ role: "USER", content: "Tell me something" }] } } }).subscribe({
          next: (result) => (result.error ? reject(result.error) : events.push(result.data!.completionStream)),
          error: reject,
          complete: resolve,
        });
      });
      expect(events.length).toBeGreaterThan(2);
      expect(events.map((e) => e.index)).toEqual(events.map((_, i) => i));
      expect(events[events.length - 1]!.done).toBe(true);
      await gateway.flush();
      const call = (await gateway.execute(CallDocument, { id: events[0]!.callId })).data!.call!;
      expect(call).toMatchObject({ streamed: true, status: "SUCCESS" });
    });
  }

  it("applies the safelist, the limits and authentication as the other doors do", async () => {
    const post = (body: unknown, key?: string) =>
      fetch(`${gateway.url}/graphql/stream`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "text/event-stream", ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify(body),
      });
    const unauthenticated = await post({ query: "{ models { name } }" });
    expect(unauthenticated.status).toBe(401);
    const notListed = await post({ query: "{ models { name } }" }, safelistKey);
    expect(notListed.status).toBe(403);
    expect(((await notListed.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe("PERSISTED_QUERY_NOT_IN_LIST");
    const hostile = await post({ query: fragmentDoublingDocument(22) });
    expect(hostile.status).toBe(401);
    const refused = await post({ query: fragmentDoublingDocument(22) }, MASTER_KEY);
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errors: Array<{ extensions: { code: string; limit: string } }> }).errors[0]!.extensions).toMatchObject({ code: "GRAPHQL_VALIDATION_FAILED", limit: "maxComplexity" });
  });
});
