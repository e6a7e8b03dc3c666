import { createHash } from "node:crypto";
import { GraphQLError, GraphQLInt, GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString, GraphQLInputObjectType, type GraphQLFieldConfigMap } from "graphql";
import { pino } from "pino";
import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GraphQLContext } from "../graphql/context.js";
import { CONTENT_TYPE_BY_ACCEPT } from "./create-direct-graphql.js";
import { createServer, type RunningServer } from "./create-server.js";

/** The object createContext built, as the resolvers see it: Apollo hands them a copy, the direct path the object itself. */
const built = new WeakSet<object>();
type TestContext = GraphQLContext & { readReplica?: boolean; extensionsFail?: "throw" | "reject" };

const Item: GraphQLObjectType = new GraphQLObjectType({
  name: "Item",
  fields: (): GraphQLFieldConfigMap<unknown, TestContext> => ({ name: { type: GraphQLString, resolve: () => "item" }, child: { type: Item, resolve: () => ({}) } }),
});
const EchoInput = new GraphQLInputObjectType({ name: "EchoInput", fields: { text: { type: new GraphQLNonNull(GraphQLString) }, times: { type: GraphQLInt } } });
const schema = new GraphQLSchema({
  query: new GraphQLObjectType<unknown, TestContext>({
    name: "Query",
    fields: {
      hello: { type: GraphQLString, args: { name: { type: GraphQLString } }, resolve: (_, { name }) => `hello ${name ?? "world"}` },
      via: { type: GraphQLString, resolve: (_, __, context) => (built.has(context) ? "direct" : "apollo") },
      boom: { type: GraphQLString, resolve: () => Promise.reject(new Error("secret detail")) },
      refused: { type: GraphQLString, resolve: () => Promise.reject(new GraphQLError("Not for you", { extensions: { code: "FORBIDDEN" } })) },
      teapot: { type: GraphQLString, resolve: () => Promise.reject(new GraphQLError("Short and stout", { extensions: { http: { status: 418, headers: new Map([["X-Teapot", "yes"]]) } } })) },
      required: { type: new GraphQLNonNull(GraphQLString), resolve: () => Promise.reject(new GraphQLError("Gone", { extensions: { code: "NOT_FOUND" } })) },
      replica: { type: GraphQLString, resolve: (_, __, context) => ((context.readReplica = true), "read") },
      extensionsThrow: { type: GraphQLString, resolve: (_, __, context) => ((context.extensionsFail = "throw"), "read") },
      extensionsReject: { type: GraphQLString, resolve: (_, __, context) => ((context.extensionsFail = "reject"), "read") },
      items: { type: new GraphQLList(Item), args: { first: { type: GraphQLInt } }, resolve: (_, { first }) => Array.from({ length: first ?? 1 }, () => ({})) },
    },
  }),
  mutation: new GraphQLObjectType<unknown, TestContext>({
    name: "Mutation",
    fields: {
      echo: { type: new GraphQLNonNull(GraphQLString), args: { input: { type: new GraphQLNonNull(EchoInput) } }, resolve: (_, { input }) => String(input.text).repeat(input.times ?? 1) },
      fail: { type: new GraphQLNonNull(GraphQLString), resolve: () => Promise.reject(new GraphQLError("Budget exhausted", { extensions: { code: "BUDGET_EXCEEDED" } })) },
    },
  }),
  subscription: new GraphQLObjectType({ name: "Subscription", fields: { n: { type: GraphQLInt } } }),
});

async function start(directExecution: boolean): Promise<{ server: RunningServer; url: string }> {
  const server = await createServer({
    schema,
    directExecution,
    createContext: ({ principal, signal }) => {
      const context = { principal, signal } as unknown as GraphQLContext;
      built.add(context);
      return context;
    },
    responseExtensions: (context) => {
      const { readReplica, extensionsFail } = context as TestContext;
      if (extensionsFail === "throw") throw new Error("extensions failed");
      if (extensionsFail === "reject") return Promise.reject(new Error("extensions failed"));
      return readReplica ? Promise.resolve({ replicaLagSeconds: 0.5 }) : undefined;
    },
    auth: { authenticate: async () => ({ kind: "admin", open: true }), recheck: () => {} },
    readiness: async () => ({ ready: true, checks: {} }),
    playground: { html: "", asset: () => undefined },
    maxBodyBytes: 100_000,
    logger: pino({ level: "silent" }),
    graphqlLimits: { maxDepth: 4, maxComplexity: 40, maxDocumentBytes: 600, maxTokens: 80 },
    connectionLimits: { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxConnections: 100 },
  });
  return { server, url: await server.listen(0) };
}

interface Sent {
  headers?: Record<string, string>;
  body: unknown;
}

/** What a client sees of an answer: status, the headers that are not per connection or time, the exact body. */
async function send(url: string, { headers = { "content-type": "application/json" }, body }: Sent) {
  const answer = await request(`${url}/graphql`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });
  const text = await answer.body.text();
  const { date: _date, connection: _connection, "keep-alive": _keepAlive, ...kept } = answer.headers;
  return { status: answer.statusCode, headers: kept, body: text };
}

const sha = (text: string) => createHash("sha256").update(text).digest("hex");
const deep = "{ items { child { child { child { child { name } } } } } }";
const costly = "{ items(first: 30) { name child { name } } }";
const echo = "mutation Echo($input: EchoInput!) { echo(input: $input) }";

/** Requests whose answers must be the same whichever path runs them, in order (the APQ ones depend on what came before). */
const CASES: Array<[string, Sent]> = [
  ["a query", { body: { query: "{ hello }" } }],
  ["a query with variables and a name", { body: { query: "query Q($n: String) { hello(name: $n) }", variables: { n: "you" }, operationName: "Q" } }],
  ["null fields", { body: { query: "{ hello }", variables: null, operationName: null, extensions: null } }],
  ["a mutation", { body: { query: echo, variables: { input: { text: "ab", times: 2 } } } }],
  ["a mutation that fails", { body: { query: "mutation { fail }" } }],
  ["an error we did not raise", { body: { query: "{ hello boom }" } }],
  ["an error with a code", { body: { query: "{ refused hello }" } }],
  ["an error asking for a status and a header", { body: { query: "{ teapot }" } }],
  ["a non-null field's error", { body: { query: "{ required hello }" } }],
  ["response extensions", { body: { query: "{ replica }" } }],
  ["response extensions that throw", { body: { query: "{ extensionsThrow }" } }],
  ["response extensions that reject", { body: { query: "{ extensionsReject }" } }],
  ["__typename", { body: { query: "{ __typename hello }" } }],
  ["introspection", { body: { query: "{ __schema { queryType { name } } }" } }],
  ["__type", { body: { query: '{ __type(name: "Item") { name } }' } }],
  ["a variable that does not coerce", { body: { query: echo, variables: { input: { text: 7 } } } }],
  ["a required variable missing", { body: { query: echo, variables: {} } }],
  ["variables as a string", { body: { query: "{ hello }", variables: "{}" } }],
  ["variables as a list", { body: { query: "{ hello }", variables: [] } }],
  ["operationName not a string", { body: { query: "{ hello }", operationName: 7 } }],
  ["an unknown operationName", { body: { query: "query A { hello }", operationName: "B" } }],
  ["two operations, no name", { body: { query: "query A { hello } query B { hello }" } }],
  ["two operations, one named", { body: { query: "query A { hello } query B { __typename }", operationName: "B" } }],
  ["a subscription", { body: { query: "subscription { n }" } }],
  ["a syntax error", { body: { query: "{ hello" } }],
  ["an unknown field", { body: { query: "{ nope }" } }],
  ["too deep", { body: { query: deep } }],
  ["too costly", { body: { query: costly } }],
  ["too many tokens", { body: { query: `{ ${"a: hello ".repeat(30)}}` } }],
  ["fragments spread in a cycle", { body: { query: "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }" } }],
  ["too large", { body: { query: `{ hello ${"__typename ".repeat(60)}}` } }],
  ["an empty query", { body: { query: "" } }],
  ["no query", { body: { variables: {} } }],
  ["a query that is not a string", { body: { query: { kind: "Document" } } }],
  ["an empty object", { body: {} }],
  ["a list", { body: [{ query: "{ hello }" }] }],
  ["null", { body: "null" }],
  ["extensions without APQ", { body: { query: "{ hello }", extensions: { other: 1 } } }],
  ["APQ: an unknown hash", { body: { extensions: { persistedQuery: { version: 1, sha256Hash: sha("{ hello via }") } } } }],
  ["APQ: a text with the wrong hash", { body: { query: "{ hello }", extensions: { persistedQuery: { version: 1, sha256Hash: sha("other") } } } }],
  ["APQ: a version we do not know", { body: { query: "{ hello }", extensions: { persistedQuery: { version: 2, sha256Hash: sha("{ hello }") } } } }],
  ["APQ: registered", { body: { query: "{ hello }", extensions: { persistedQuery: { version: 1, sha256Hash: sha("{ hello }") } } } }],
  ["APQ: found", { body: { extensions: { persistedQuery: { version: 1, sha256Hash: sha("{ hello }") } } } }],
  ["APQ: found, with variables and a name", { body: { operationName: null, variables: {}, extensions: { persistedQuery: { version: 1, sha256Hash: sha("{ hello }") } } } }],
  ["APQ: found, query null", { body: { query: null, extensions: { persistedQuery: { version: 1, sha256Hash: sha("{ hello }") } } } }],
  ["APQ: found, an empty query", { body: { query: "", extensions: { persistedQuery: { version: 1, sha256Hash: sha("{ hello }") } } } }],
  ["APQ: found, other extensions", { body: { extensions: { persistedQuery: { version: 1, sha256Hash: sha("{ hello }") }, other: 1 } } }],
  ["APQ: a hash that is not a string", { body: { extensions: { persistedQuery: { version: 1, sha256Hash: 7 } } } }],
  ["APQ: persistedQuery not an object", { body: { extensions: { persistedQuery: true } } }],
  ["APQ: registered, then a document that fails at run time", { body: { query: "{ refused }", extensions: { persistedQuery: { version: 1, sha256Hash: sha("{ refused }") } } } }],
  ["APQ: found, failing at run time", { body: { extensions: { persistedQuery: { version: 1, sha256Hash: sha("{ refused }") } } } }],
  ["APQ: registered, a mutation", { body: { query: echo, variables: { input: { text: "x" } }, extensions: { persistedQuery: { version: 1, sha256Hash: sha(echo) } } } }],
  ["APQ: found, a mutation", { body: { variables: { input: { text: "y", times: 3 } }, extensions: { persistedQuery: { version: 1, sha256Hash: sha(echo) } } } }],
  ["APQ: found, a variable that does not coerce", { body: { variables: { input: { text: 7 } }, extensions: { persistedQuery: { version: 1, sha256Hash: sha(echo) } } } }],
  ["CSRF: text/plain", { headers: { "content-type": "text/plain" }, body: { query: "{ hello }" } }],
  ["CSRF: text/plain with a preflight header", { headers: { "content-type": "text/plain", "apollo-require-preflight": "1" }, body: { query: "{ hello }" } }],
  ["CSRF: no content type", { headers: {}, body: { query: "{ hello }" } }],
  ["content type in capitals with a charset", { headers: { "content-type": "Application/JSON; charset=utf-8" }, body: { query: "{ hello }" } }],
  ["a JSON-like content type", { headers: { "content-type": "application/jsonx" }, body: { query: "{ hello }" } }],
  ["Accept: text/html", { headers: { "content-type": "application/json", accept: "text/html" }, body: { query: "{ hello }" } }],
  ["Accept: application/xml", { headers: { "content-type": "application/json", accept: "application/xml" }, body: { query: "{ hello }" } }],
  ...[...CONTENT_TYPE_BY_ACCEPT.keys()].map((accept): [string, Sent] => [
    `Accept: ${accept}`,
    { headers: { "content-type": "application/json", ...(accept === undefined ? {} : { accept }) }, body: { query: "{ hello refused }" } },
  ]),
];

describe.each([
  ["development", "test"],
  ["production (no introspection over HTTP)", "production"],
])("GraphQL POSTs answered directly and through Apollo alike, %s", (_label, nodeEnv) => {
  let direct: { server: RunningServer; url: string };
  let apollo: { server: RunningServer; url: string };
  beforeAll(async () => {
    const before = process.env.NODE_ENV;
    process.env.NODE_ENV = nodeEnv;
    try {
      direct = await start(true);
      apollo = await start(false);
    } finally {
      process.env.NODE_ENV = before;
    }
  });
  afterAll(async () => {
    await direct?.server.close();
    await apollo?.server.close();
  });

  it("answers every request with the same status, headers and bytes", async () => {
    for (const [label, sent] of CASES) {
      const [fast, reference] = [await send(direct.url, sent), await send(apollo.url, sent)];
      expect({ label, ...fast }).toEqual({ label, ...reference });
    }
  });

  it("answers 500 without the details when the response extensions throw or reject", async () => {
    for (const query of ["{ extensionsThrow }", "{ extensionsReject }"]) {
      const answer = await send(direct.url, { body: { query } });
      expect(answer.status).toBe(500);
      expect(answer.body).not.toContain("extensions failed");
    }
  });

  it("runs plain POSTs directly and leaves the rest to Apollo", async () => {
    const via = async (sent: Partial<Sent> & { body: Record<string, unknown> }) => JSON.parse((await send(direct.url, sent as Sent)).body).data?.via;
    expect(await via({ body: { query: "{ via }" } })).toBe("direct");
    expect(await via({ body: { query: "query Via { via }", operationName: "Via", variables: {} } })).toBe("direct");
    expect(await via({ headers: { "content-type": "application/json", accept: "application/xml, application/json" }, body: { query: "{ via }" } })).toBe("apollo");
    expect(await via({ body: { query: "{ via }", extensions: { persistedQuery: { version: 1, sha256Hash: sha("{ via }") } } } })).toBe("apollo");
    // Registered through Apollo just above: found by its hash alone, it runs directly.
    expect(await via({ body: { extensions: { persistedQuery: { version: 1, sha256Hash: sha("{ via }") } } } })).toBe("direct");
    expect(await via({ body: { query: null, extensions: { persistedQuery: { version: 1, sha256Hash: sha("{ via }") } } } })).toBe("direct");
    expect(await via({ body: { extensions: { persistedQuery: { version: 1, sha256Hash: sha("{ via }") }, other: 1 } } })).toBe("apollo");
    // Apollo's clone of the context shows the reference server never runs directly.
    expect(JSON.parse((await send(apollo.url, { body: { query: "{ via }" } })).body).data.via).toBe("apollo");
  });
});
