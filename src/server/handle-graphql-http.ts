import type { IncomingMessage, ServerResponse } from "node:http";
import { HeaderMap, type ApolloServer, type HTTPGraphQLResponse } from "@apollo/server";
import { GraphQLError, getOperationAST, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from "graphql";
import type { GraphQLContext } from "../graphql/context.js";
import type { Principal } from "../governance/principal.js";
import { clientSignal } from "./client-signal.js";
import type { DirectGraphQL } from "./create-direct-graphql.js";
import type { DocumentCache } from "./create-document-cache.js";
import { documentTooLarge } from "./document-too-large.js";
import { isEventFeed } from "./is-event-feed.js";
import { BodyTooLargeError, readBody } from "./read-body.js";
import { resolvePersistedQuery } from "./resolve-persisted-query.js";
import { queryHash, safelistRefusal, type Safelist } from "./safelist.js";
import { sendGraphQLError, sendJson } from "./send-json.js";
import { acceptsMultipartSubscription, serveMultipartSubscription } from "./serve-multipart-subscription.js";

/** The server's, built once: what differs between requests is their caller (GraphQLHttpCaller). */
export interface GraphQLHttpOptions {
  apollo: ApolloServer<GraphQLContext>;
  /** Plain POSTs of a document run without Apollo's pipeline when every step succeeds (create-direct-graphql.ts); absent: all through Apollo. */
  direct?: DirectGraphQL;
  createContext(input: { headers: IncomingMessage["headers"]; signal: AbortSignal; principal: Principal; request: IncomingMessage }): Promise<GraphQLContext> | GraphQLContext;
  maxBodyBytes: number;
  /** A longer `query` text is refused with 413 before Apollo parses it. */
  maxDocumentBytes: number;
  /** Subscriptions over HTTP (Apollo's multipart protocol), with the graphql-ws path's document cache and executor. */
  streams: {
    schema: GraphQLSchema;
    documents: DocumentCache;
    subscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult>;
    /** Throws when the caller may no longer run (key revoked or expired). */
    recheck(principal: Principal): void;
    heartbeatMs: number;
    /** An event feed (it never ends on its own): a drain does not wait for its response. */
    onEventFeed(response: ServerResponse): void;
  };
}

/** Who sent one request. */
export interface GraphQLHttpCaller {
  principal: Principal;
  /** Set when the caller may run only safelisted operations: the safelist (undefined when none is configured: every operation is refused). */
  safelist: { operations: Safelist | undefined } | undefined;
}

/**
 * GraphQL over HTTP through Apollo's transport-neutral entry point, on our own node:http server:
 * queries (POST and GET) and mutations (POST) with Apollo's automatic persisted queries kept in
 * the server's document cache. Subscriptions asked for with Apollo's multipart media type are
 * streamed here. Before anything parses: the document size limit and, for a safelist-only caller,
 * the safelist.
 */
export async function handleGraphQLHttp(options: GraphQLHttpOptions, caller: GraphQLHttpCaller, request: IncomingMessage, response: ServerResponse, search: string): Promise<void> {
  let body: unknown = undefined;
  if (request.method === "POST") {
    let text: string;
    try {
      text = await readBody(request, options.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        response.setHeader("connection", "close");
        sendGraphQLError(response, 413, error.message, "BAD_USER_INPUT");
        request.destroy();
        return;
      }
      throw error;
    }
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        sendGraphQLError(response, 400, "The request body is not valid JSON", "BAD_REQUEST");
        return;
      }
    }
  }

  const fields = operationFields(request.method, body, search);
  const tooLarge = documentTooLarge(fields.query, options.maxDocumentBytes);
  if (tooLarge) {
    sendJson(response, 413, { errors: [tooLarge.toJSON()] });
    return;
  }
  if (caller.safelist) {
    const refusal = safelistRefusal(caller.safelist.operations, typeof fields.query === "string" ? queryHash(fields.query) : persistedHash(fields.extensions));
    if (refusal) {
      sendJson(response, 403, { errors: [refusal.toJSON()] });
      return;
    }
  }

  if (request.method === "POST" && acceptsMultipartSubscription(request.headers.accept)) {
    // A subscription's event stream gets a controller of its own: its listeners live as long as it does.
    const abort = new AbortController();
    response.once("close", () => {
      if (!response.writableFinished) abort.abort();
    });
    const streamed = await streamSubscription(options, caller.principal, fields, () => options.createContext({ headers: request.headers, signal: abort.signal, principal: caller.principal, request }), response);
    if (streamed) return;
  }
  // Everything else answers once: the connection's signal, as the /v1 doors use (client-signal.ts).
  const signal = clientSignal(request);
  const createContext = () => options.createContext({ headers: request.headers, signal, principal: caller.principal, request });

  let context = async () => createContext();
  if (request.method === "POST" && options.direct) {
    const outcome = await options.direct(request.headers, body, createContext);
    if ("answer" in outcome) {
      const streaming = send(outcome.answer, response);
      if (streaming) await streaming;
      return;
    }
    if (outcome.context) context = outcome.context;
  }
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const result = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: request.method ?? "GET", headers, search, body },
    context,
  });
  const streaming = send(result, response);
  if (streaming) await streaming;
}

/**
 * Writes an answer. A complete one (every query and mutation) at once, with its headers in one
 * writeHead rather than a setHeader each, and no promise; a streamed one's chunks as they come.
 */
function send(result: HTTPGraphQLResponse, response: ServerResponse): Promise<void> | undefined {
  if (result.body.kind === "complete") {
    const head: Record<string, string | number> = {};
    for (const [name, value] of result.headers) head[name] = value;
    head["content-length"] = Buffer.byteLength(result.body.string);
    response.writeHead(result.status ?? 200, head);
    response.end(result.body.string);
    return undefined;
  }
  for (const [name, value] of result.headers) response.setHeader(name, value);
  response.statusCode = result.status ?? 200;
  return sendChunks(result.body.asyncIterator, response);
}

async function sendChunks(chunks: AsyncIterableIterator<string>, response: ServerResponse): Promise<void> {
  for await (const chunk of chunks) response.write(chunk);
  response.end();
}

interface OperationFields {
  query: unknown;
  extensions: unknown;
  variables: unknown;
  operationName: unknown;
}

/** What a POST body or a GET query string asks for (GET's `extensions` and `variables` are JSON texts; unreadable ones are left to Apollo to refuse). */
function operationFields(method: string | undefined, body: unknown, search: string): OperationFields {
  if (method === "POST") {
    const fields = (typeof body === "object" && body !== null ? body : {}) as Partial<OperationFields>;
    return { query: fields.query, extensions: fields.extensions, variables: fields.variables, operationName: fields.operationName };
  }
  const params = new URLSearchParams(search);
  const json = (name: string): unknown => {
    const text = params.get(name);
    if (text === null) return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  };
  return { query: params.get("query") ?? undefined, extensions: json("extensions"), variables: json("variables"), operationName: params.get("operationName") ?? undefined };
}

function persistedHash(extensions: unknown): string | undefined {
  const hash = (extensions as { persistedQuery?: { sha256Hash?: unknown } } | null | undefined)?.persistedQuery?.sha256Hash;
  return typeof hash === "string" ? hash : undefined;
}

/**
 * A POST that asked for the multipart media type: streamed when it is a subscription (true);
 * a query or mutation (false) is left to Apollo.
 */
async function streamSubscription(options: GraphQLHttpOptions, principal: Principal, fields: OperationFields, createContext: () => Promise<GraphQLContext> | GraphQLContext, response: ServerResponse): Promise<boolean> {
  const { documents, schema } = options.streams;
  const resolved = resolvePersistedQuery(documents, fields.query, fields.extensions);
  if ("error" in resolved) {
    sendJson(response, resolved.status, { errors: [resolved.error.toJSON()] }, resolved.status === 200 ? { "cache-control": "private, no-cache, must-revalidate" } : {});
    return true;
  }
  const tooLarge = documentTooLarge(resolved.query, options.maxDocumentBytes);
  if (tooLarge) {
    sendJson(response, 413, { errors: [tooLarge.toJSON()] });
    return true;
  }
  let document;
  try {
    document = documents.parse(resolved.query);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    sendJson(response, 400, { errors: [{ message: error.message, locations: error.locations, extensions: { code: "GRAPHQL_PARSE_FAILED" } }] });
    return true;
  }
  const operationName = typeof fields.operationName === "string" ? fields.operationName : undefined;
  // Apollo runs queries and mutations; it finds a persisted text in the same document cache.
  if (getOperationAST(document, operationName)?.operation !== "subscription") return false;
  const errors = documents.validate(schema, document);
  if (errors.length > 0) {
    sendJson(response, 400, { errors: errors.map((error) => ({ ...error.toJSON(), extensions: { ...error.extensions, code: error.extensions.code ?? "GRAPHQL_VALIDATION_FAILED" } })) });
    return true;
  }
  if (resolved.register) documents.persist(resolved.hash, resolved.query);
  if (isEventFeed(document, operationName)) options.streams.onEventFeed(response);
  const variables = fields.variables;
  if (variables !== undefined && variables !== null && (typeof variables !== "object" || Array.isArray(variables))) {
    sendJson(response, 400, { errors: [{ message: "variables: expected an object", extensions: { code: "BAD_REQUEST" } }] });
    return true;
  }
  await serveMultipartSubscription(
    {
      schema,
      document,
      variables: (variables ?? undefined) as Record<string, unknown> | undefined,
      operationName,
      contextValue: await createContext(),
      subscribe: options.streams.subscribe,
      recheck: () => options.streams.recheck(principal),
      heartbeatMs: options.streams.heartbeatMs,
    },
    response,
  );
  return true;
}
