import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql, type DocumentNode } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";
import { print } from "@apollo/client/utilities";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fragmentDoublingDocument } from "../../bench/hostile-documents.js";
import { CallDocument } from "../gql/graphql.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";
import { E2E_CONFIG } from "./gateway-config.js";

const MASTER_KEY = "sk-master-apollo-client-test";
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const MODELS = gql`
  query ModelNames {
    models {
      name
    }
  }
`;
const FIRST_MODEL = gql`
  query FirstModel {
    models {
      name
      aliases
    }
  }
`;
const STREAM = gql`
  subscription Stream($input: CompletionInput!) {
    completionStream(input: $input) {
      callId
      index
      delta
      done
      finishReason
    }
  }
`;

type Models = { models: Array<{ name: string }> };
type StreamEvent = { callId: string; index: number; delta: string | null; done: boolean; finishReason: string | null };

/** What Apollo Client sends for a document: its cache's transform (`__typename` added), printed. */
const sentText = (document: DocumentNode) => print(new InMemoryCache().transformDocument(document));

interface Sent {
  method: string;
  url: string;
  body: Record<string, unknown> | undefined;
  status: number;
}

/** An Apollo Client on HttpLink (with PersistedQueryLink in front when asked), recording what it sent. */
function apolloClient(url: string, key: string, options: { persisted?: boolean; getForHashed?: boolean } = {}) {
  const sent: Sent[] = [];
  const recordingFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    sent.push({ method: init?.method ?? "GET", url: String(input), body: typeof init?.body === "string" ? JSON.parse(init.body) : undefined, status: response.status });
    return response;
  };
  const http = new HttpLink({ uri: `${url}/graphql`, fetch: recordingFetch, headers: { authorization: `Bearer ${key}` } });
  const link = options.persisted ? ApolloLink.from([new PersistedQueryLink({ sha256, useGETForHashedQueries: options.getForHashed ?? false }), http]) : http;
  return { client: new ApolloClient({ link, cache: new InMemoryCache() }), sent };
}

let gateway: TestGateway;
let dir: string;
let safelistKey: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "switchyard-safelist-"));
  const manifest = join(dir, "persisted-query-manifest.json");
  const operations = [
    { name: "ModelNames", type: "query", body: sentText(MODELS) },
    { name: "Stream", type: "subscription", body: sentText(STREAM) },
  ].map((operation) => ({ id: sha256(operation.body), ...operation }));
  writeFileSync(manifest, JSON.stringify({ format: "apollo-persisted-query-manifest", version: 1, operations }));
  gateway = await startTestGateway(`${E2E_CONFIG}\nserver:\n  graphql:\n    safelist: { manifest: ${JSON.stringify(manifest)} }\n`, { masterKey: MASTER_KEY });
  const created = await graphqlPost({ query: "mutation($input: VirtualKeyInput!) { createVirtualKey(input: $input) { secret key { safelistOnly } } }", variables: { input: { name: "browser", safelistOnly: true } } });
  expect(created.body.data.createVirtualKey.key.safelistOnly).toBe(true);
  safelistKey = created.body.data.createVirtualKey.secret;
});
afterAll(async () => {
  await gateway?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function graphqlPost(body: unknown, options: { key?: string; accept?: string } = {}) {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${options.key ?? MASTER_KEY}`, ...(options.accept ? { accept: options.accept } : {}) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, headers: response.headers, text, body: (response.headers.get("content-type")?.startsWith("application/json") ? JSON.parse(text) : undefined) as any };
}

async function graphqlGet(params: Record<string, unknown>, key = MASTER_KEY) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) search.set(name, typeof value === "string" ? value : JSON.stringify(value));
  const response = await fetch(`${gateway.url}/graphql?${search}`, { headers: { authorization: `Bearer ${key}`, "apollo-require-preflight": "true" } });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

const persisted = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });

describe("automatic persisted queries with Apollo Client", () => {
  it("misses once, registers the text, then runs by hash alone — over POST and over GET", async () => {
    const first = apolloClient(gateway.url, MASTER_KEY, { persisted: true });
    const result = await first.client.query<Models>({ query: FIRST_MODEL, fetchPolicy: "network-only" });
    expect(result.data?.models[0]?.name).toBe("fast");
    expect(first.sent.map((s) => [s.method, s.body?.query === undefined ? "hash" : "hash+query"])).toEqual([
      ["POST", "hash"],
      ["POST", "hash+query"],
    ]);

    // Another client (another page load): the hash alone is enough now, and GET is used for it.
    const second = apolloClient(gateway.url, MASTER_KEY, { persisted: true, getForHashed: true });
    const again = await second.client.query<Models>({ query: FIRST_MODEL, fetchPolicy: "network-only" });
    expect(again.data?.models[0]?.name).toBe("fast");
    expect(second.sent).toHaveLength(1);
    expect(second.sent[0]!.method).toBe("GET");
    expect(new URL(second.sent[0]!.url).searchParams.get("query")).toBeNull();
    expect(JSON.parse(new URL(second.sent[0]!.url).searchParams.get("extensions")!)).toMatchObject(persisted(sentText(FIRST_MODEL)));
  });

  it("answers a hash alone it does not know in Apollo's exact shape", async () => {
    const query = "{ models { name deployments { id } } }";
    for (const answer of [await graphqlPost({ extensions: persisted(query) }), await graphqlGet({ extensions: persisted(query) })]) {
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ errors: [{ message: "PersistedQueryNotFound", extensions: { code: "PERSISTED_QUERY_NOT_FOUND" } }] });
      expect(answer.headers.get("cache-control")).toBe("private, no-cache, must-revalidate");
    }
  });

  it("refuses a hash that is not the text's, and does not register it", async () => {
    const query = "{ models { aliases } }";
    const wrong = await graphqlPost({ query, extensions: { persistedQuery: { version: 1, sha256Hash: sha256("{ other }") } } });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].message).toMatch(/provided sha does not match query/);
    expect(wrong.body.errors[0].extensions.code).toBe("BAD_REQUEST");
    expect((await graphqlPost({ extensions: persisted(query) })).body.errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    const version = await graphqlPost({ query, extensions: { persistedQuery: { version: 2, sha256Hash: sha256(query) } } });
    expect(version.status).toBe(400);
    expect(version.body.errors[0]).toMatchObject({ message: "Unsupported persisted query version", extensions: { code: "BAD_REQUEST" } });
  });

  it("refuses mutations over GET with 405, registered or not", async () => {
    const mutation = 'mutation { complete(input: { model: "fast", messages: [{ role: USER, content: "hi" }] }) { id } }';
    const answer = await graphqlGet({ query: mutation, extensions: persisted(mutation) });
    expect(answer.status).toBe(405);
    expect(answer.body.errors[0].message).toMatch(/GET requests only support query operations/);
  });

  it("gives a huge or hostile document sent with its hash the same typed errors as a plain POST, and never registers it", async () => {
    const huge = `{ ${"models { name } ".repeat(5_000)}}`;
    const tooLarge = await graphqlPost({ query: huge, extensions: persisted(huge) });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.errors[0].extensions).toMatchObject({ code: "BAD_USER_INPUT", limit: "maxDocumentBytes" });

    const deep = fragmentDoublingDocument(22);
    const refused = await graphqlPost({ query: deep, extensions: persisted(deep) });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].extensions.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const byHash = await graphqlPost({ extensions: persisted(deep) });
    expect(byHash.body.errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_FOUND");
  });
});

describe("safelist-only keys", () => {
  it("run a safelisted operation with Apollo Client, by hash alone", async () => {
    const { client, sent } = apolloClient(gateway.url, safelistKey, { persisted: true });
    const result = await client.query<Models>({ query: MODELS, fetchPolicy: "network-only" });
    expect(result.data?.models.map((m) => m.name)).toContain("fast");
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body?.query).toBeUndefined();
  });

  it("are refused any other operation, by text, by hash, over GET, over WebSocket — and every /v1 door", async () => {
    const { client } = apolloClient(gateway.url, safelistKey, { persisted: true });
    await expect(client.query({ query: FIRST_MODEL, fetchPolicy: "network-only" })).rejects.toMatchObject({ statusCode: 403 });

    const text = await graphqlPost({ query: "{ models { name } }" }, { key: safelistKey });
    expect(text.status).toBe(403);
    expect(text.body.errors[0]).toMatchObject({ extensions: { code: "PERSISTED_QUERY_NOT_IN_LIST", sha256Hash: sha256("{ models { name } }") } });
    const get = await graphqlGet({ extensions: persisted(sentText(FIRST_MODEL)) }, safelistKey);
    expect(get.status).toBe(403);
    expect(get.body.errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_IN_LIST");

    const ws = gateway.wsClient(safelistKey);
    const wsErrors = await new Promise<unknown>((resolve) => ws.subscribe({ query: "{ models { name } }" }, { next: () => {}, error: resolve, complete: () => resolve(undefined) }));
    expect((wsErrors as Array<{ extensions: { code: string } }>)[0]!.extensions.code).toBe("PERSISTED_QUERY_NOT_IN_LIST");

    const v1 = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${safelistKey}` },
      body: JSON.stringify({ model: "fast", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(v1.status).toBe(403);
  });

  it("leave other keys and the master key unbound", async () => {
    const other = await graphqlPost({ query: "mutation { createVirtualKey(input: { name: \"server\" }) { secret key { safelistOnly } } }" });
    expect(other.body.data.createVirtualKey.key.safelistOnly).toBe(false);
    const answer = await graphqlPost({ query: "{ models { name } }" }, { key: other.body.data.createVirtualKey.secret });
    expect(answer.status).toBe(200);
    expect(answer.body.data.models.length).toBeGreaterThan(0);
  });
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
