import type { IncomingHttpHeaders } from "node:http";
import { HeaderMap, type HTTPGraphQLResponse } from "@apollo/server";
import { BREAK, GraphQLError, execute, getOperationAST, visit, type DocumentNode, type ExecutionResult, type GraphQLFormattedError, type GraphQLSchema } from "graphql";
import type { GraphQLContext } from "../graphql/context.js";
import { compileOperation, type CompiledOperation } from "./compile-operation.js";
import type { DocumentCache } from "./create-document-cache.js";
import { formatGraphQLError } from "./format-graphql-error.js";

export interface DirectGraphQLOptions {
  schema: GraphQLSchema;
  /** The server's document cache, whose rules are Apollo's (graphql-js's own and the query limits). */
  documents: DocumentCache;
  /** Apollo's `introspection`: when off, a document naming `__schema` or `__type` is left to Apollo to refuse. */
  introspection: boolean;
  /** As Apollo's responseExtensions plugin adds them (create-apollo-server.ts). */
  responseExtensions?(context: GraphQLContext): Promise<Record<string, unknown> | undefined> | undefined;
  /** An error after the operation ran (Apollo logs it and answers 500 "Internal error"). */
  onUnexpectedError(error: unknown): void;
}

/** Answered here, or left to Apollo (with the context when it was built already, so it is built once). */
export type DirectOutcome = { answer: HTTPGraphQLResponse } | { apollo: true; context?: () => Promise<GraphQLContext> };

export type DirectGraphQL = (headers: IncomingHttpHeaders, body: unknown, createContext: () => Promise<GraphQLContext> | GraphQLContext) => Promise<DirectOutcome>;

const JSON_TYPE = "application/json; charset=utf-8";
const GRAPHQL_RESPONSE_TYPE = "application/graphql-response+json; charset=utf-8";

/**
 * The `Accept` values answered here, and the content type Apollo's negotiation picks for each (a
 * test asks Apollo for every one). Any other value goes to Apollo.
 */
export const CONTENT_TYPE_BY_ACCEPT: ReadonlyMap<string | undefined, string> = new Map([
  [undefined, JSON_TYPE],
  ["", JSON_TYPE],
  ["*/*", JSON_TYPE],
  ["application/json", JSON_TYPE],
  ["application/json, */*", JSON_TYPE],
  ["application/json, text/plain, */*", JSON_TYPE],
  ["application/graphql-response+json", GRAPHQL_RESPONSE_TYPE],
  ["application/graphql-response+json, application/json", GRAPHQL_RESPONSE_TYPE],
  ["application/graphql-response+json,application/json;q=0.9", GRAPHQL_RESPONSE_TYPE],
  ["application/graphql-response+json, application/json;q=0.9", GRAPHQL_RESPONSE_TYPE],
]);

/** The headers of an answer without errors, one shared map per content type: read, never changed. */
const ONLY_CONTENT_TYPE: ReadonlyMap<string, HeaderMap> = new Map([JSON_TYPE, GRAPHQL_RESPONSE_TYPE].map((type) => [type, new HeaderMap([["content-type", type]])]));

/** `application/json`, whatever its parameters (so Apollo's CSRF check lets it through). */
const JSON_CONTENT_TYPE = /^application\/json[\t ]*(;|$)/i;

/**
 * Plain POSTs of a JSON body that carries a document, run with graphql-js directly: Apollo's request
 * pipeline (hashing the text, its own document store, plugin hooks per stage, negotiating the content
 * type, cloning the context) cost about a seventh of the gateway's CPU for a `complete` mutation. Only
 * the case where every step succeeds up to execution is answered here: a `query` without `extensions`,
 * or an automatic persisted query's hash alone that the store knows (Apollo's APQ hit; registrations,
 * misses and anything else about APQ go to Apollo), a document the document cache (same parse options
 * and rules as Apollo) parses and validates, an operation found that is a query or a mutation,
 * variables that coerce, an `Accept` value from CONTENT_TYPE_BY_ACCEPT. Anything else — and any request Apollo would refuse — is left to Apollo,
 * which answers it from scratch (with the context built here, if any). What is answered here is what
 * Apollo answers byte for byte: errors through `normalizeAndFormatErrors`' steps and formatGraphQLError,
 * the status and headers errors ask for (`extensions.http`), the fields in Apollo's order and its
 * trailing newline; create-direct-graphql.test.ts compares both for the same requests.
 */
export function createDirectGraphQL(options: DirectGraphQLOptions): DirectGraphQL {
  const { schema, documents } = options;
  const introspects = new WeakMap<DocumentNode, boolean>();
  const compiled = new WeakMap<DocumentNode, Map<string | undefined, CompiledOperation | null>>();
  const toApollo: DirectOutcome = { apollo: true };
  return async (headers, body, createContext) => {
    const contentType = CONTENT_TYPE_BY_ACCEPT.get(headers.accept);
    if (contentType === undefined || headers["content-type"] === undefined || !JSON_CONTENT_TYPE.test(headers["content-type"])) return toApollo;
    if (typeof body !== "object" || body === null || Array.isArray(body)) return toApollo;
    const { query, variables, operationName, extensions } = body as Record<string, unknown>;
    const text = typeof query === "string" && query !== "" && extensions == null ? query : query == null ? persistedText(documents, extensions) : undefined;
    if (text === undefined) return toApollo;
    if (variables != null && (typeof variables !== "object" || Array.isArray(variables))) return toApollo;
    if (operationName != null && typeof operationName !== "string") return toApollo;

    let document: DocumentNode;
    try {
      document = documents.parse(text);
    } catch {
      return toApollo;
    }
    if (documents.validate(schema, document).length > 0) return toApollo;
    if (!options.introspection && introspectsSchema(introspects, document)) return toApollo;
    const name = operationName ?? undefined;
    const operation = getOperationAST(document, name)?.operation;
    if (operation !== "query" && operation !== "mutation") return toApollo;

    let context: GraphQLContext;
    try {
      // Awaited only when it is a promise (the server's is not): an await is a promise and a tick per request.
      const made = createContext();
      context = made instanceof Promise ? await made : made;
    } catch (error) {
      return { apollo: true, context: () => Promise.reject(error) };
    }
    let result: ExecutionResult;
    try {
      const variableValues = (variables ?? undefined) as Record<string, unknown> | undefined;
      const plan = compiledOperation(compiled, schema, document, name);
      result = await (plan ? plan.execute(context, variableValues) : execute({ schema, document, contextValue: context, variableValues, operationName: name }));
    } catch (error) {
      // graphql-js turns resolvers' errors into results; Apollo answers a throw from execute itself with 500.
      return answer({ errors: [ensureGraphQLError(error)] }, context, contentType, 500);
    }
    // No data: refused before anything ran (variables that do not coerce); Apollo answers those.
    if (!("data" in result)) return { apollo: true, context: async () => context };
    return answer(result, context, contentType, undefined);
  };

  /**
   * The result as Apollo sends it: errors formatted, the response extensions added, Apollo's field order and trailing newline.
   * Not a promise unless the response extensions are one: the caller's async function then resolves with the value, without
   * the two ticks a returned promise costs.
   */
  function answer(result: ExecutionResult, context: GraphQLContext, contentType: string, defaultStatus: number | undefined): DirectOutcome | Promise<DirectOutcome> {
    let extensions: Promise<Record<string, unknown> | undefined> | Record<string, unknown> | undefined;
    try {
      extensions = options.responseExtensions?.(context);
    } catch (error) {
      return unexpected(error, contentType);
    }
    if (extensions instanceof Promise) {
      return extensions.then(
        (resolved) => formatAnswer(result, resolved, contentType, defaultStatus),
        (error: unknown) => unexpected(error, contentType),
      );
    }
    return formatAnswer(result, extensions, contentType, defaultStatus);
  }

  function unexpected(error: unknown, contentType: string): DirectOutcome {
    options.onUnexpectedError(error);
    return { answer: internalServerError(contentType) };
  }

  function formatAnswer(result: ExecutionResult, extensions: Record<string, unknown> | undefined, contentType: string, defaultStatus: number | undefined): DirectOutcome {
    try {
      // Without errors nothing can add a header: the content type's shared map (a HeaderMap is a Map and a Symbol:
      // ~0.6 kB of a mutation's 13 kB, graphql-direct-cost --heap-prof). The server only reads it (handle-graphql-http.ts).
      const head: Head | undefined = result.errors ? { status: undefined, headers: new HeaderMap() } : undefined;
      const errors = result.errors ? formatErrors(result.errors, head!) : undefined;
      const string = JSON.stringify({ errors, data: result.data, extensions: extensions ? { ...extensions } : undefined }) + "\n";
      if (head === undefined) return { answer: { status: defaultStatus, headers: ONLY_CONTENT_TYPE.get(contentType) ?? new HeaderMap([["content-type", contentType]]), body: { kind: "complete", string } } };
      if (!head.headers.get("content-type")) head.headers.set("content-type", contentType);
      return { answer: { status: head.status ?? defaultStatus, headers: head.headers, body: { kind: "complete", string } } };
    } catch (error) {
      return unexpected(error, contentType);
    }
  }
}

/** The operation compiled once per cached document (null: it does not compile, graphql-js's execute runs it). */
function compiledOperation(known: WeakMap<DocumentNode, Map<string | undefined, CompiledOperation | null>>, schema: GraphQLSchema, document: DocumentNode, name: string | undefined): CompiledOperation | undefined {
  let byName = known.get(document);
  if (!byName) known.set(document, (byName = new Map()));
  let plan = byName.get(name);
  if (plan === undefined) byName.set(name, (plan = compileOperation(schema, document, name) ?? null));
  return plan ?? undefined;
}

/** The text of an automatic persisted query sent by its hash alone, when the store has it (Apollo's APQ hit; anything else is Apollo's). */
function persistedText(documents: DocumentCache, extensions: unknown): string | undefined {
  if (typeof extensions !== "object" || extensions === null || Object.keys(extensions).length !== 1) return undefined;
  const persisted = (extensions as { persistedQuery?: unknown }).persistedQuery;
  if (typeof persisted !== "object" || persisted === null) return undefined;
  const { version, sha256Hash } = persisted as { version?: unknown; sha256Hash?: unknown };
  return version === 1 && typeof sha256Hash === "string" ? documents.persisted(sha256Hash) : undefined;
}

/** Apollo's NoIntrospection rule's test: a field named `__schema` or `__type` anywhere in the document. */
function introspectsSchema(known: WeakMap<DocumentNode, boolean>, document: DocumentNode): boolean {
  let found = known.get(document);
  if (found !== undefined) return found;
  found = false;
  visit(document, {
    Field(node) {
      if (node.name.value !== "__schema" && node.name.value !== "__type") return undefined;
      found = true;
      return BREAK;
    },
  });
  known.set(document, found);
  return found;
}

interface Head {
  status: number | undefined;
  headers: HeaderMap;
}

/** Apollo's normalizeAndFormatErrors (errorNormalize.js) with our formatError and no stack traces. */
function formatErrors(errors: readonly GraphQLError[], head: Head): GraphQLFormattedError[] {
  return errors.map((error) => {
    try {
      return formatGraphQLError(enrichError(error, head), error);
    } catch {
      return { message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } };
    }
  });
}

function enrichError(maybeError: unknown, head: Head): GraphQLFormattedError {
  const error = ensureGraphQLError(maybeError);
  const extensions: Record<string, unknown> = { ...error.extensions, code: error.extensions.code ?? "INTERNAL_SERVER_ERROR" };
  const http = extensions.http as { status?: unknown; headers?: unknown } | undefined;
  if (isPartialHead(http)) {
    if (http.status) head.status = http.status as number;
    if (http.headers) for (const [name, value] of http.headers as Map<string, string>) head.headers.set(name, value);
    delete extensions.http;
  }
  return { ...error.toJSON(), extensions };
}

function ensureGraphQLError(maybeError: unknown): GraphQLError {
  const error = maybeError instanceof Error ? maybeError : new GraphQLError(`Unexpected error value: ${String(maybeError)}`);
  return error instanceof GraphQLError ? error : new GraphQLError(error.message, { originalError: error });
}

function isPartialHead(x: { status?: unknown; headers?: unknown } | undefined): x is { status?: number; headers?: Map<string, string> } {
  return !!x && typeof x === "object" && (!("status" in x) || typeof x.status === "number") && (!("headers" in x) || x.headers instanceof Map);
}

/** Apollo's answer when processing failed after the operation ran (ApolloServer.errorResponse). */
function internalServerError(contentType: string): HTTPGraphQLResponse {
  const head: Head = { status: undefined, headers: new HeaderMap() };
  const error = new Error("Internal server error");
  let formatted: GraphQLFormattedError;
  try {
    formatted = formatGraphQLError(enrichError(error, head), error);
  } catch {
    formatted = { message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } };
  }
  const headers = new HeaderMap([...head.headers, ["content-type", contentType]]);
  return { status: head.status ?? 500, headers, body: { kind: "complete", string: JSON.stringify({ errors: [formatted] }) + "\n" } };
}
