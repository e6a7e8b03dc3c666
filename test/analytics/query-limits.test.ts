import { getIntrospectionQuery, parse, specifiedRules, validate, type GraphQLSchema } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGraphQLSchema } from "../../src/graphql/build-graphql-schema.js";
import { DEFAULT_QUERY_LIMITS, queryLimitRules } from "../../src/server/query-limit-rules.js";
import { CallsDocument } from "../gql/graphql.js";
import { GOVERNANCE_CONFIG, MASTER_KEY } from "../governance/governance-config.js";
import { startTestGateway, type TestGateway } from "../helpers/start-test-gateway.js";

// calls → edges → node → key → team → keys → team → keys → team → keys → team → keys → id: depth 13.
const TOO_DEEP = `{ calls(first: 1) { edges { node { key { team { keys { team { keys { team { keys { team { keys { id } } } } } } } } } } } } }`;
// Each alias: 1 + 200 × (edges 1 + node 1 + 26 fields, __typename included) = 5,601; two of them exceed 10,000.
const FIELDS = "id createdAt requestedModel modelGroup provider deployment providerModel status errorKind errorMessage finishReason streamed promptTokens completionTokens cachedTokens costUsd costUsdExact latencyMs ttftMs attemptCount keyId teamId user metadata __typename";
const TOO_COMPLEX = `query { a: calls(first: 200) { edges { node { ...F } } } b: calls(first: 200) { edges { node { ...F } } } }
fragment F on Call { ${FIELDS} createdAt }`;

let gateway: TestGateway;
let schema: GraphQLSchema;
beforeAll(async () => {
  [gateway, schema] = await Promise.all([startTestGateway(GOVERNANCE_CONFIG, { masterKey: MASTER_KEY }), buildGraphQLSchema()]);
});
afterAll(async () => {
  await gateway?.close();
});

async function overHttp(query: string) {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${MASTER_KEY}` },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, ...((await response.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }) };
}

function overWebSocket(query: string): Promise<{ data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> }> {
  const client = gateway.wsClient();
  return new Promise((resolve, reject) => {
    let data: unknown;
    client.subscribe(
      { query },
      {
        next: (result) => (data = result.data),
        error: (error) => (Array.isArray(error) ? resolve({ errors: error as never }) : reject(error)),
        complete: () => resolve({ data }),
      },
    );
  });
}

describe("depth and complexity limits", () => {
  it("refuses a too-deep query on HTTP and on WebSocket, naming the limit", async () => {
    const http = await overHttp(TOO_DEEP);
    expect(http.status).toBe(400);
    expect(http.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(http.errors?.[0]?.message).toBe("Query is too deep: depth 13 exceeds the limit of 12");

    const ws = await overWebSocket(TOO_DEEP);
    expect(ws.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(ws.errors?.[0]?.message).toBe("Query is too deep: depth 13 exceeds the limit of 12");
  });

  it("refuses a too-complex query on HTTP and on WebSocket, naming the limit", async () => {
    const http = await overHttp(TOO_COMPLEX);
    expect(http.status).toBe(400);
    expect(http.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(http.errors?.[0]?.message).toBe("Query is too complex: complexity 11202 exceeds the limit of 10000");

    const ws = await overWebSocket(TOO_COMPLEX);
    expect(ws.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(ws.errors?.[0]?.message).toBe("Query is too complex: complexity 11202 exceeds the limit of 10000");
  });

  it("lets real queries through on both doors: a page of calls, one alias of the big one, introspection", async () => {
    const single = TOO_COMPLEX.replace(/ b: calls.*?\} \} \} \}/, " }");
    expect((await overHttp(single)).errors).toBeUndefined();
    expect((await overWebSocket(single)).errors).toBeUndefined();
    const calls = await gateway.execute(CallsDocument, { first: 200 });
    expect(calls.errors).toBeUndefined();
    const introspection = await overHttp(getIntrospectionQuery());
    expect(introspection.errors).toBeUndefined();
  });

  it("counts fragments, inline fragments and aliases, and survives a fragment cycle", () => {
    const limits = queryLimitRules({ maxDepth: 3, maxComplexity: 30 });
    const messages = (query: string) => validate(schema, parse(query), limits).map((error) => error.message);
    expect(messages(`{ calls(first: 1) { edges { node { id } } } }`)).toEqual(["Query is too deep: depth 4 exceeds the limit of 3"]);
    expect(messages(`{ calls(first: 1) { ...C } } fragment C on CallConnection { edges { cursor } }`)).toEqual([]);
    expect(messages(`{ calls(first: 1) { ... on CallConnection { edges { node { id } } } } }`)).toEqual(["Query is too deep: depth 4 exceeds the limit of 3"]);
    // 1 + 10 × (edges 1 + cursor 1) = 21 per alias.
    expect(messages(`{ calls(first: 10) { edges { cursor } } }`)).toEqual([]);
    expect(messages(`{ a: calls(first: 10) { edges { cursor } } b: calls(first: 10) { edges { cursor } } }`)).toEqual([
      "Query is too complex: complexity 42 exceeds the limit of 30",
    ]);
    // A variable without a default counts as the largest page, one with a default as that default.
    expect(messages(`query($n: Int) { calls(first: $n) { totalCount } }`)).toEqual([]);
    expect(validate(schema, parse(`query($n: Int) { calls(first: $n) { edges { cursor } } }`), limits).map((e) => e.message)).toEqual([
      `Query is too complex: complexity ${1 + DEFAULT_QUERY_LIMITS.maxPageSize * 2} exceeds the limit of 30`,
    ]);
    expect(messages(`query($n: Int = 5) { calls(first: $n) { edges { cursor } } }`)).toEqual([]);
    // The limits must not loop on a cycle; reporting it is the standard rule's job.
    const cyclic = validate(schema, parse(`{ calls { ...A } } fragment A on CallConnection { ...B } fragment B on CallConnection { ...A }`), [...specifiedRules, ...limits]);
    expect(cyclic.map((error) => error.message)).toContain('Cannot spread fragment "A" within itself via "B".');
  });
});
