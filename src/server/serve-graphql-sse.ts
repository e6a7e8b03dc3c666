import type { IncomingMessage, ServerResponse } from "node:http";
import { GraphQLError, type ExecutionArgs, type ExecutionResult, type GraphQLSchema } from "graphql";
import { TOKEN_HEADER_KEY, TOKEN_QUERY_KEY, createHandler, type OperationContext, type Response as SseResponse } from "graphql-sse";
import type { GraphQLContext } from "../graphql/context.js";
import type { DocumentCache } from "./create-document-cache.js";
import { documentTooLarge } from "./document-too-large.js";
import { BodyTooLargeError, readBody } from "./read-body.js";
import { queryHash, safelistRefusal, type Safelist } from "./safelist.js";
import { sendGraphQLError } from "./send-json.js";
import { clientSignal } from "./client-signal.js";

export interface GraphQLSseOptions {
  schema: GraphQLSchema;
  /** The server's one document cache (limits, maxTokens) and the graphql-ws path's executor. */
  documents: DocumentCache;
  subscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult>;
  maxBodyBytes: number;
  maxDocumentBytes: number;
  /** True once shutdown began: new operations are refused with UNAVAILABLE. */
  isDraining(): boolean;
}

/** What each request brings, authenticated by the route before the handler runs. */
export interface SseCaller {
  createContext(signal: AbortSignal): Promise<GraphQLContext> | GraphQLContext;
  /** Throws when the caller may no longer run anything (key revoked or expired). */
  recheck(): void;
  /** Set when the caller may run only safelisted operations. */
  safelist?: { operations: Safelist | undefined };
}

/**
 * GraphQL over Server-Sent Events (the graphql-sse protocol, both its modes) at /graphql/stream,
 * for clients that cannot open a WebSocket: the same checks as graphql-ws — the caller re-checked
 * per operation, document size, safelist, parse and validation through the one document cache — and
 * the same subscription executor, so governance and call recording are those of the WebSocket path.
 */
export function serveGraphQLSse(options: GraphQLSseOptions): (request: IncomingMessage, response: ServerResponse, caller: SseCaller) => Promise<void> {
  const { documents, schema } = options;
  const refuse = (status: number, error: GraphQLError | { message: string; extensions: Record<string, unknown> }): SseResponse => [
    JSON.stringify({ errors: [error instanceof GraphQLError ? error.toJSON() : error] }),
    { status, statusText: status === 403 ? "Forbidden" : status === 413 ? "Payload Too Large" : status === 503 ? "Service Unavailable" : "Bad Request", headers: { "content-type": "application/json; charset=utf-8" } },
  ];
  const handler = createHandler<IncomingMessage, { caller: SseCaller; signal: AbortSignal }, GraphQLContext & OperationContext>({
    schema,
    validate: (schema, document) => documents.validate(schema, document),
    subscribe: (args) => options.subscribe(args),
    onSubscribe: async (request, params) => {
      const { caller, signal } = request.context;
      if (options.isDraining()) return refuse(503, { message: "The server is shutting down; retry on another connection", extensions: { code: "UNAVAILABLE" } });
      try {
        caller.recheck();
      } catch (error) {
        return refuse(403, { message: (error as Error).message, extensions: { code: "FORBIDDEN" } });
      }
      const tooLarge = documentTooLarge(params.query, options.maxDocumentBytes);
      if (tooLarge) return refuse(413, tooLarge);
      if (caller.safelist) {
        const refusal = safelistRefusal(caller.safelist.operations, queryHash(params.query));
        if (refusal) return refuse(403, refusal);
      }
      let document;
      try {
        document = documents.parse(params.query);
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        return refuse(400, { message: error.message, extensions: { code: "GRAPHQL_PARSE_FAILED" } });
      }
      const errors = documents.validate(schema, document);
      if (errors.length > 0) return [JSON.stringify({ errors: errors.map((e) => ({ ...e.toJSON(), extensions: { ...e.extensions, code: e.extensions.code ?? "GRAPHQL_VALIDATION_FAILED" } })) }), { status: 400, statusText: "Bad Request", headers: { "content-type": "application/json; charset=utf-8" } }];
      return {
        schema,
        document,
        variableValues: params.variables,
        operationName: params.operationName,
        contextValue: (await caller.createContext(signal)) as GraphQLContext & OperationContext,
      };
    },
  });

  return async (request, response, caller) => {
    let body: string | null = null;
    if (request.method === "POST" || request.method === "PUT") {
      try {
        body = await readBody(request, options.maxBodyBytes);
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error;
        response.setHeader("connection", "close");
        sendGraphQLError(response, 413, error.message, "BAD_USER_INPUT");
        request.destroy();
        return;
      }
    }
    const [answer, init] = await handler({
      method: request.method ?? "GET",
      url: request.url ?? "/",
      headers: { get: (name) => [request.headers[name]].flat().join("\n") || null },
      body,
      raw: request,
      context: { caller, signal: operationSignal(request, response) },
    });
    response.writeHead(init.status, init.statusText, init.headers);
    if (!answer || typeof answer === "string") {
      response.end(answer ?? undefined);
      return;
    }
    response.once("close", () => void answer.return(undefined));
    for await (const chunk of answer) {
      if (response.destroyed) break;
      if (!response.write(chunk)) await new Promise((resolve) => response.once("drain", resolve).once("close", resolve));
    }
    response.end();
  };
}

/**
 * What cancels an operation's call. In distinct connections mode (no stream token, nearly every
 * client) the operation streams in this request's response, so the client leaving is its connection
 * closing: the connection's own signal (client-signal.ts), as on the other doors, instead of an
 * AbortController and a close listener per request. In single connection mode the operation is
 * submitted with the token and streams over another request (graphql-sse ends it through its DELETE
 * or that stream's close): this request's connection may close meanwhile without cancelling it, so it
 * keeps a controller that aborts only if this response closes before it was answered.
 */
function operationSignal(request: IncomingMessage, response: ServerResponse): AbortSignal {
  if (request.headers[TOKEN_HEADER_KEY] === undefined && !request.url?.includes(`${TOKEN_QUERY_KEY}=`)) return clientSignal(request);
  const abort = new AbortController();
  response.once("close", () => {
    if (!response.writableFinished) abort.abort();
  });
  return abort.signal;
}
