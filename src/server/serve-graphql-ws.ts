import type { IncomingMessage } from "node:http";
import { GraphQLError, type ExecutionArgs, type ExecutionResult, type FormattedExecutionResult, type GraphQLSchema } from "graphql";
import type { Logger } from "pino";
import type { WebSocketServer } from "ws";
import { describeError } from "../core/index.js";
import type { GraphQLContext } from "../graphql/context.js";
import type { Principal } from "../governance/principal.js";
import type { DocumentCache } from "./create-document-cache.js";
import type { ServerAuth } from "./create-server.js";
import { documentTooLarge } from "./document-too-large.js";
import type { GraphQLLimits } from "./graphql-limits.js";
import { isEventFeed } from "./is-event-feed.js";
import { queryHash, safelistRefusal, type Safelist } from "./safelist.js";
import { useGraphQLWs } from "./use-graphql-ws.js";

export interface GraphQLWsOptions {
  schema: GraphQLSchema;
  wsServer: WebSocketServer;
  auth: ServerAuth;
  limits: GraphQLLimits;
  /** The server's document cache: graphql-js's rules plus the depth and complexity limits and maxTokens, the same as on HTTP. */
  documents: DocumentCache;
  /** The subscription executor, shared with subscriptions streamed over HTTP. */
  subscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult>;
  /** Set when the caller may run only safelisted operations (operations undefined: none configured, nothing runs). */
  safelistFor(principal: Principal): { operations: Safelist | undefined } | undefined;
  createContext(input: { headers: IncomingMessage["headers"]; principal: Principal; connectionParams?: Record<string, unknown> }): Promise<GraphQLContext> | GraphQLContext;
  logger: Logger;
  /** How often open sockets are re-checked, and closed (4403) when their key was revoked or expired. */
  socketSweepMs?: number;
  /** True once shutdown began: new operations are refused with UNAVAILABLE. */
  isDraining(): boolean;
  /** Added to a result's `extensions` when it gives some (ServerOptions.responseExtensions). */
  responseExtensions?(context: GraphQLContext): Promise<Record<string, unknown> | undefined> | undefined;
}

export interface ServedGraphQLWs {
  /** Operations running on every socket, leaving out event feeds (what a drain waits for). */
  runningOperations(): number;
  stopSweep(): void;
  /** Closes every socket (1001). */
  dispose(): Promise<void>;
}

/** graphql-ws on the given WebSocket server: authentication per socket and per operation, limits, drain. */
export function serveGraphQLWs(options: GraphQLWsOptions): ServedGraphQLWs {
  const { auth } = options;
  // Each socket authenticates once at connection_init; every operation re-checks, and a sweep
  // closes sockets whose key was revoked or expired meanwhile.
  type SocketContext = { extra: { socket: { close(code: number, reason: string): void } }; subscriptions: Record<string, unknown> };
  const socketPrincipals = new Map<SocketContext, Principal>();
  // Per socket, the ids of running operations that only listen to event feeds (the drain does not wait for them).
  const eventFeeds = new WeakMap<SocketContext, Set<string>>();
  const sweep = setInterval(() => {
    for (const [ctx, principal] of socketPrincipals) {
      try {
        auth.recheck(principal);
      } catch {
        socketPrincipals.delete(ctx);
        ctx.extra.socket.close(4403, "Forbidden");
      }
    }
  }, options.socketSweepMs ?? 250);
  sweep.unref();
  const wsDocuments = options.documents;
  const cleanup = useGraphQLWs(
    {
      schema: options.schema,
      parse: (source) => wsDocuments.parse(typeof source === "string" ? source : source.body),
      validate: (schema, document) => wsDocuments.validate(schema, document),
      subscribe: options.subscribe,
      onConnect: async (ctx) => {
        try {
          socketPrincipals.set(ctx, await auth.authenticate(connectionAuthorization(ctx.connectionParams)));
          return true;
        } catch (error) {
          const code = describeError(error).code;
          if (code !== "FORBIDDEN") ctx.extra.socket.close(4401, "Unauthorized");
          return false;
        }
      },
      onSubscribe: (ctx, _id, payload) => {
        if (options.isDraining()) return [new GraphQLError("The server is shutting down; retry on another connection", { extensions: { code: "UNAVAILABLE" } })];
        const principal = socketPrincipals.get(ctx);
        try {
          if (!principal) throw new Error("no principal");
          auth.recheck(principal);
        } catch (error) {
          const described = describeError(error);
          return [new GraphQLError(principal ? described.message : "Unauthorized", { extensions: { code: principal ? described.code : "UNAUTHENTICATED" } })];
        }
        const tooLarge = documentTooLarge(payload.query, options.limits.maxDocumentBytes);
        if (tooLarge) return [tooLarge];
        const safelist = options.safelistFor(principal!);
        if (safelist) {
          const refusal = safelistRefusal(safelist.operations, queryHash(payload.query));
          if (refusal) return [refusal];
        }
        // Parsed here (and remembered) so that a syntax error, or a document past maxTokens, is the
        // operation's error message as on HTTP: thrown from graphql-ws's own parse it closes the socket.
        try {
          wsDocuments.parse(payload.query);
        } catch (error) {
          if (!(error instanceof GraphQLError)) throw error;
          return [new GraphQLError(error.message, { source: error.source, positions: error.positions, extensions: { code: "GRAPHQL_PARSE_FAILED" } })];
        }
        return undefined;
      },
      onOperation: (ctx, id, _payload, args) => {
        if (!isEventFeed(args.document, args.operationName)) return;
        const feeds = eventFeeds.get(ctx) ?? new Set<string>();
        eventFeeds.set(ctx, feeds.add(id));
      },
      onComplete: (ctx, id) => {
        eventFeeds.get(ctx)?.delete(id);
      },
      onClose: (ctx) => {
        socketPrincipals.delete(ctx);
      },
      context: (ctx) =>
        options.createContext({
          headers: ctx.extra.request.headers,
          principal: socketPrincipals.get(ctx)!,
          connectionParams: ctx.connectionParams as Record<string, unknown> | undefined,
        }),
      ...(options.responseExtensions ? { onNext: withExtensions(options.responseExtensions) } : {}),
      onError: (_ctx, _id, _payload, errors) => {
        options.logger.warn({ errors: errors.map((e) => e.message) }, "graphql-ws operation failed");
      },
    },
    options.wsServer,
    {
      maxOperationsPerSocket: options.limits.maxOperationsPerSocket,
      onInternalError: (error) => options.logger.error({ err: error }, "graphql-ws internal error; the socket was closed"),
    },
  );

  return {
    runningOperations() {
      let running = 0;
      for (const ctx of socketPrincipals.keys()) {
        const feeds = eventFeeds.get(ctx);
        for (const id of Object.keys(ctx.subscriptions)) if (!feeds?.has(id)) running++;
      }
      return running;
    },
    stopSweep: () => clearInterval(sweep),
    dispose: () => cleanup.dispose(),
  };
}

/** graphql-ws connectionParams: `{ authorization: "Bearer <key>" }` (any case of the name). */
function connectionAuthorization(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  if (!params) return undefined;
  for (const [name, value] of Object.entries(params)) {
    if (name.toLowerCase() === "authorization" && typeof value === "string") return value;
  }
  return undefined;
}

/** graphql-ws' onNext: a result gains the extensions the context asks for; without any it goes out as is, with no await. */
function withExtensions(extend: NonNullable<GraphQLWsOptions["responseExtensions"]>) {
  return (_ctx: unknown, _id: string, _payload: unknown, args: ExecutionArgs, result: ExecutionResult): Promise<FormattedExecutionResult> | undefined => {
    const pending = extend(args.contextValue as GraphQLContext);
    if (pending === undefined) return undefined;
    return pending.then((extensions) => ({ ...(result as FormattedExecutionResult), ...(extensions ? { extensions: { ...result.extensions, ...extensions } } : {}) }));
  };
}
