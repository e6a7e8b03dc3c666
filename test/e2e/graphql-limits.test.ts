import { print } from "graphql";
import type { Client } from "graphql-ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fragmentDoublingDocument, schemaAliasDocument, typenameAliasDocument } from "../../bench/hostile-documents.js";
import { DEFAULT_GRAPHQL_LIMITS } from "../../src/server/graphql-limits.js";
import { DeploymentHealthChangedDocument } from "../gql/graphql.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";
import { E2E_CONFIG } from "./gateway-config.js";

// Set through the config file, so the test also shows that `server.graphql` reaches both doors.
const MAX_COMPLEXITY = 2_000;
const MAX_OPERATIONS = 3;

type Errors = Array<{ message: string; extensions?: Record<string, unknown> }>;

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(`${E2E_CONFIG}\nserver:\n  graphql: { maxComplexity: ${MAX_COMPLEXITY}, maxOperationsPerSocket: ${MAX_OPERATIONS} }\n`);
});
afterAll(async () => {
  await gateway?.close();
});

async function overHttp(query: string): Promise<{ status: number; data?: unknown; errors?: Errors }> {
  const response = await fetch(`${gateway.url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  return { status: response.status, ...((await response.json()) as { data?: unknown; errors?: Errors }) };
}

/** One operation over graphql-ws: its data, or the errors of its error message. */
function overWebSocket(client: Client, query: string): Promise<{ data?: unknown; errors?: Errors }> {
  return new Promise((resolve, reject) => {
    let data: unknown;
    client.subscribe(
      { query },
      {
        next: (result) => (data = result.data),
        error: (error) => (Array.isArray(error) ? resolve({ errors: error as Errors }) : reject(error)),
        complete: () => resolve({ data }),
      },
    );
  });
}

describe("limits on GraphQL documents and WebSocket operations", () => {
  it("refuses fragments that each spread the next twice, with their exact complexity, on both doors", async () => {
    const query = fragmentDoublingDocument(22);
    const http = await overHttp(query);
    expect(http.status).toBe(400);
    expect(http.errors?.[0]?.extensions).toMatchObject({ code: "GRAPHQL_VALIDATION_FAILED", limit: "maxComplexity", complexity: 2 ** 22 });
    const ws = await overWebSocket(gateway.wsClient(), query);
    expect(ws.errors?.[0]?.extensions).toMatchObject({ code: "GRAPHQL_VALIDATION_FAILED", limit: "maxComplexity", complexity: 2 ** 22 });
  });

  it("counts __typename aliases: one past the limit is refused with the complexity code, the limit itself answers", async () => {
    const http = await overHttp(typenameAliasDocument(MAX_COMPLEXITY + 1));
    expect(http.status).toBe(400);
    expect(http.errors?.[0]?.extensions).toMatchObject({ code: "GRAPHQL_VALIDATION_FAILED", limit: "maxComplexity", complexity: MAX_COMPLEXITY + 1 });
    const ws = await overWebSocket(gateway.wsClient(), typenameAliasDocument(MAX_COMPLEXITY + 1));
    expect(ws.errors?.[0]?.extensions).toMatchObject({ code: "GRAPHQL_VALIDATION_FAILED", limit: "maxComplexity" });

    const fits = await overHttp(typenameAliasDocument(MAX_COMPLEXITY));
    expect(fits.status).toBe(200);
    expect(Object.keys(fits.data as object)).toHaveLength(MAX_COMPLEXITY);
  });

  it("counts introspection by what it answers: 300 aliases of the whole schema (1,500 fields) are refused, one introspection of the schema answers", async () => {
    const query = schemaAliasDocument(300);
    const http = await overHttp(query);
    expect(http.status).toBe(400);
    expect(http.errors?.[0]?.extensions).toMatchObject({ code: "GRAPHQL_VALIDATION_FAILED", limit: "maxComplexity" });
    const ws = await overWebSocket(gateway.wsClient(), query);
    expect(ws.errors?.[0]?.extensions).toMatchObject({ code: "GRAPHQL_VALIDATION_FAILED", limit: "maxComplexity" });
    const one = await overHttp("{ __schema { types { name } } }");
    expect(one.status).toBe(200);
  });

  it("refuses a document over maxDocumentBytes with 413 on HTTP and an error message on graphql-ws, which stays open", async () => {
    const bomb = typenameAliasDocument(700_000);
    const http = await overHttp(bomb);
    expect(http.status).toBe(413);
    expect(http.errors?.[0]?.extensions).toEqual({
      code: "BAD_USER_INPUT",
      limit: "maxDocumentBytes",
      maxDocumentBytes: DEFAULT_GRAPHQL_LIMITS.maxDocumentBytes,
      documentBytes: Buffer.byteLength(bomb),
    });
    // Bytes, not characters: 22,000 three-byte characters in a comment are 66,000 bytes.
    const wide = `{ __typename } # ${"€".repeat(22_000)}`;
    expect(wide.length).toBeLessThan(DEFAULT_GRAPHQL_LIMITS.maxDocumentBytes);
    expect((await overHttp(wide)).status).toBe(413);

    const client = gateway.wsClient();
    const ws = await overWebSocket(client, typenameAliasDocument(10_000));
    expect(ws.errors?.[0]?.extensions).toMatchObject({ code: "BAD_USER_INPUT", limit: "maxDocumentBytes" });
    expect(await overWebSocket(client, "{ __typename }")).toEqual({ data: { __typename: "Query" } });
  });

  it("stops parsing past maxTokens on both doors, and the socket stays open", async () => {
    const query = `{ ${"a ".repeat(DEFAULT_GRAPHQL_LIMITS.maxTokens)}}`;
    expect(Buffer.byteLength(query)).toBeLessThan(DEFAULT_GRAPHQL_LIMITS.maxDocumentBytes);
    const http = await overHttp(query);
    expect(http.status).toBe(400);
    expect(http.errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    expect(http.errors?.[0]?.message).toContain(`${DEFAULT_GRAPHQL_LIMITS.maxTokens} tokens. Parsing aborted.`);

    const client = gateway.wsClient();
    const ws = await overWebSocket(client, query);
    expect(ws.errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    expect(ws.errors?.[0]?.message).toBe(http.errors?.[0]?.message);
    expect((await overWebSocket(client, "{ nope")).errors?.[0]?.extensions?.code).toBe("GRAPHQL_PARSE_FAILED");
    expect(await overWebSocket(client, "{ __typename }")).toEqual({ data: { __typename: "Query" } });
  });

  it("runs at most maxOperationsPerSocket operations on one socket; one more errors, and a finished one frees its slot", async () => {
    const client = gateway.wsClient();
    const ended: unknown[] = [];
    const stops = Array.from({ length: MAX_OPERATIONS }, () =>
      client.subscribe({ query: print(DeploymentHealthChangedDocument) }, { next: () => {}, error: (error) => ended.push(error), complete: () => ended.push("complete") }),
    );
    // Messages on one socket are handled in order: the three subscriptions hold their slots before this arrives.
    const refused = await overWebSocket(client, "{ __typename }");
    expect(refused.errors).toEqual([
      {
        message: `Too many operations on this socket: at most ${MAX_OPERATIONS} may run at once`,
        extensions: { code: "TOO_MANY_OPERATIONS", limit: "maxOperationsPerSocket", maxOperationsPerSocket: MAX_OPERATIONS },
      },
    ]);
    // Another socket has slots of its own.
    expect(await overWebSocket(gateway.wsClient(), "{ __typename }")).toEqual({ data: { __typename: "Query" } });

    stops[0]!();
    // Each finished query frees its slot for the next.
    for (let i = 0; i < 3; i++) expect(await overWebSocket(client, "{ __typename }")).toEqual({ data: { __typename: "Query" } });
    // Only the stopped subscription ended (the client completes its sink); the other two still run.
    expect(ended).toEqual(["complete"]);
  });
});
