import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MODELS, apolloClient, sha256, startSafelistGateway, type Models, type SafelistGateway } from "./apollo-client-helpers.js";

let started: SafelistGateway;
let plainKey: string;
beforeAll(async () => {
  started = await startSafelistGateway({ enforceFor: "allKeys" });
  const created = await started.post({ query: 'mutation { createVirtualKey(input: { name: "server" }) { secret key { safelistOnly } } }' });
  expect(created.body.data.createVirtualKey.key.safelistOnly).toBe(false);
  plainKey = created.body.data.createVirtualKey.secret;
});
afterAll(async () => {
  await started?.close();
});

describe("safelist enforced for all keys (enforceFor: allKeys)", () => {
  it("binds a key not marked safelistOnly: safelisted operations run, anything else and the /v1 doors are refused", async () => {
    const { client, sent } = apolloClient(started.gateway.url, plainKey, { persisted: true });
    const result = await client.query<Models>({ query: MODELS, fetchPolicy: "network-only" });
    expect(result.data?.models.map((m) => m.name)).toContain("fast");
    expect(sent.at(-1)!.body?.query).toBeUndefined();

    const text = await started.post({ query: "{ models { name } }" }, { key: plainKey });
    expect(text.status).toBe(403);
    expect(text.body.errors[0]).toMatchObject({ extensions: { code: "PERSISTED_QUERY_NOT_IN_LIST", sha256Hash: sha256("{ models { name } }") } });

    const v1 = await fetch(`${started.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${plainKey}` },
      body: JSON.stringify({ model: "fast", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(v1.status).toBe(403);
  });

  it("leaves the master key unbound", async () => {
    const answer = await started.post({ query: "{ models { name } }" });
    expect(answer.status).toBe(200);
    expect(answer.body.data.models.length).toBeGreaterThan(0);
  });
});
