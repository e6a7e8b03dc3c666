import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fragmentDoublingDocument } from "../../bench/hostile-documents.js";
import type { TestGateway } from "../helpers/start-test-gateway.js";
import { FIRST_MODEL, MASTER_KEY, MODELS, apolloClient, persisted, sentText, sha256, startSafelistGateway, type Models, type SafelistGateway } from "./apollo-client-helpers.js";

let gateway: TestGateway;
let safelistKey: string;
let graphqlPost: SafelistGateway["post"];
let graphqlGet: SafelistGateway["get"];
let started: SafelistGateway;
beforeAll(async () => {
  started = await startSafelistGateway();
  ({ gateway, safelistKey, post: graphqlPost, get: graphqlGet } = started);
});
afterAll(async () => {
  await started?.close();
});

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

  it("leave other keys and the master key unbound, until a key is marked on update", async () => {
    const other = await graphqlPost({ query: "mutation { createVirtualKey(input: { name: \"server\" }) { secret key { id safelistOnly } } }" });
    expect(other.body.data.createVirtualKey.key.safelistOnly).toBe(false);
    const { id } = other.body.data.createVirtualKey.key;
    const secret = other.body.data.createVirtualKey.secret;
    const answer = await graphqlPost({ query: "{ models { name } }" }, { key: secret });
    expect(answer.status).toBe(200);
    expect(answer.body.data.models.length).toBeGreaterThan(0);

    const updated = await graphqlPost({ query: "mutation($id: ID!) { updateVirtualKey(id: $id, input: { safelistOnly: true }) { safelistOnly } }", variables: { id } });
    expect(updated.body.data.updateVirtualKey.safelistOnly).toBe(true);
    expect((await graphqlPost({ query: "{ models { name } }" }, { key: secret })).status).toBe(403);
    const listed = await graphqlPost({ query: "{ virtualKeys { id safelistOnly } }" });
    expect(listed.body.data.virtualKeys.find((key: { id: string }) => key.id === id).safelistOnly).toBe(true);
  });
});
