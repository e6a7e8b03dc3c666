import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { type GraphQLSchema, specifiedRules } from "graphql";
import { WebSocketServer } from "ws";
import { describeError } from "../core/index.js";
import type { GraphQLContext } from "../graphql/context.js";
import { createApolloServer } from "./create-apollo-server.js";
import { createDirectGraphQL } from "./create-direct-graphql.js";
import type { Principal } from "../governance/principal.js";
import { hostForUrl, listenOn, type BoundHttpServer } from "./bind-http-server.js";
import { createDocumentCache } from "./create-document-cache.js";
import { createLimitedHttpServer, type ConnectionLimits } from "./create-limited-http-server.js";
export type { ConnectionLimits } from "./create-limited-http-server.js";
import { createDashboard } from "./dashboard/create-dashboard.js";
import { drainConnections } from "./drain-connections.js";
import { InFlightAnswers } from "./in-flight-answers.js";
import { createSubscriptionExecutor } from "./create-subscription-executor.js";
import { type GraphQLHttpOptions, handleGraphQLHttp } from "./handle-graphql-http.js";
import { DEFAULT_GRAPHQL_LIMITS, type GraphQLLimits } from "./graphql-limits.js";
import type { OriginPolicy } from "./origin-policy.js";
import { queryLimitRules } from "./query-limit-rules.js";
import type { Safelist } from "./safelist.js";
import type { Playground } from "./playground.js";
import { sendGraphQLError, sendJson } from "./send-json.js";
import { logEachRequest } from "./request-log.js";
import { sendRefusal } from "./send-refusal.js";
import type { Routes } from "./chain-routes.js";
import { serveGraphQLSse } from "./serve-graphql-sse.js";
import { serveGraphQLWs } from "./serve-graphql-ws.js";

export interface Readiness {
  ready: boolean;
  checks: Record<string, unknown>;
}

/** Authentication on every door (src/governance's KeyDirectory implements it). */
export interface ServerAuth {
  /** An `Authorization` value → the caller; throws a GatewayError (UNAUTHENTICATED, FORBIDDEN) to refuse. */
  authenticate(authorization: string | undefined): Promise<Principal>;
  /** Throws when a caller authenticated earlier is no longer allowed (key revoked or expired). */
  recheck(principal: Principal): void;
  /** A virtual key's display prefix, for the request log (never the secret). */
  keyPrefixOf?(keyId: string): string | undefined;
}

export interface ServerOptions {
  schema: GraphQLSchema;
  /** Called per HTTP request and per WebSocket operation, after authentication. */
  createContext(input: {
    headers: IncomingMessage["headers"];
    principal: Principal;
    signal?: AbortSignal;
    connectionParams?: Record<string, unknown>;
    /** The HTTP request (absent on a WebSocket): its log line takes the call it makes. */
    request?: IncomingMessage;
  }): Promise<GraphQLContext> | GraphQLContext;
  auth: ServerAuth;
  /** How often open WebSockets are checked, and closed (4403) when their key was revoked or expired. */
  socketSweepMs?: number;
  readiness(): Promise<Readiness>;
  metrics?(): Promise<{ contentType: string; body: string }>;
  /** Extra routes (the OpenAI-compatible /v1 API): `false` at once when the path is none of theirs, else the promise of the answer (see Routes). */
  extraRoutes?: Routes;
  playground: Playground;
  maxBodyBytes: number;
  logger: Logger;
  /** Depth, complexity, document size and operations per socket, on HTTP and WebSocket alike (defaults: DEFAULT_GRAPHQL_LIMITS). */
  graphqlLimits?: Partial<GraphQLLimits>;
  /** Deadlines and the cap that keep silent or slow sockets from holding the process's file descriptors. */
  connectionLimits: ConnectionLimits;
  /** Which browser origins may open a WebSocket or send a POST (default: any). */
  originPolicy?: OriginPolicy;
  /** How long close() lets answers and WebSocket operations already begun finish before cutting them (default 10 s). */
  drainGraceMs?: number;
  /** Which `Host` headers are answered at all (default: any); see isLoopbackHostHeader. */
  hostAllowed?(host: string | undefined): boolean;
  /**
   * The operations a safelist-only caller may run (config `server.graphql.safelist`), and which
   * callers are bound by it; a caller it applies to runs nothing when no safelist is configured.
   */
  safelist?: { operations?: Safelist; appliesTo(principal: Principal): boolean };
  /** How often a quiet subscription streamed over HTTP sends an empty part (default 5 s, as Apollo Router). */
  streamHeartbeatMs?: number;
  /** A port bound already (bindHttpServer, before the database was opened); then listen() only returns its URL. */
  bound?: BoundHttpServer;
  /** Added to a GraphQL response's `extensions`, over HTTP and WebSocket (e.g. `replicaLagSeconds`); undefined adds nothing, and at once. */
  responseExtensions?(context: GraphQLContext): Promise<Record<string, unknown> | undefined> | undefined;
  /** false sends every GraphQL request over HTTP through Apollo's pipeline (default: plain POSTs run directly, create-direct-graphql.ts). */
  directExecution?: boolean;
}

export interface RunningServer {
  httpServer: Server;
  /** Resolves the base URL a client on this machine uses, e.g. http://127.0.0.1:4000 (see `boundAddress` for what is bound). */
  listen(port: number, host?: string): Promise<string>;
  /** The address and port actually bound, e.g. `0.0.0.0:4000`, `[::1]:4000` (after listen). */
  boundAddress(): string;
  /** Refuses new requests (503, connection: close), lets those in flight finish, then closes every socket. */
  close(): Promise<void>;
}

/**
 * One HTTP port: GraphQL over HTTP (Apollo; subscriptions in Apollo's multipart protocol) and
 * WebSocket (graphql-ws) on /graphql, over Server-Sent Events (graphql-sse) on /graphql/stream,
 * health, metrics, playground.
 */
export async function createServer(options: ServerOptions): Promise<RunningServer> {
  const httpServer = options.bound?.httpServer ?? createLimitedHttpServer(options.connectionLimits, options.logger);
  const originAllowed = options.originPolicy ?? (() => true);
  const hostAllowed = options.hostAllowed ?? (() => true);
  // Set when close() begins: from then on every request is refused before it can start any work.
  let draining = false;
  const inFlight = new InFlightAnswers();
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: "/graphql",
    maxPayload: options.maxBodyBytes,
    // Browsers send Origin on every upgrade and no CORS rule guards WebSockets: this is the only check.
    verifyClient: (info: { origin?: string; req: IncomingMessage }, accept: (verified: boolean, code?: number, message?: string, headers?: Record<string, string>) => void) => {
      if (draining) accept(false, 503, "The server is shutting down", { "retry-after": "1" });
      else if (!hostAllowed(info.req.headers.host)) accept(false, 403, hostRefusal(info.req.headers.host));
      else if (!originAllowed(info.origin, info.req.headers.host)) accept(false, 403, `Origin ${info.origin} is not allowed (server.allowedOrigins)`);
      else accept(true);
    },
  });
  const { auth } = options;
  const limits = { ...DEFAULT_GRAPHQL_LIMITS, ...options.graphqlLimits };
  const limitRules = queryLimitRules({ maxDepth: limits.maxDepth, maxComplexity: limits.maxComplexity });
  const parseOptions = { maxTokens: limits.maxTokens };
  // Over HTTP as Apollo Server has it by default (graphql-ws and graphql-sse answer introspection always).
  const introspection = process.env.NODE_ENV !== "production";
  const validationRules = [...specifiedRules, ...limitRules];
  // One store of documents for every door: parsed and validated texts, and the automatic persisted queries.
  const safelisted = [...(options.safelist?.operations?.values() ?? [])];
  const documents = createDocumentCache(validationRules, { parseOptions, pinned: new Map(safelisted.map((operation) => [operation.id, operation.body])) });
  const subscribe = createSubscriptionExecutor(options.schema);
  const safelistFor = (principal: Principal) => (options.safelist?.appliesTo(principal) ? { operations: options.safelist.operations } : undefined);
  const ws = serveGraphQLWs({
    schema: options.schema,
    wsServer,
    auth,
    limits,
    documents,
    subscribe,
    safelistFor,
    createContext: options.createContext,
    logger: options.logger,
    socketSweepMs: options.socketSweepMs,
    isDraining: () => draining,
    ...(options.responseExtensions ? { responseExtensions: options.responseExtensions } : {}),
  });
  const apollo = await createApolloServer({
    schema: options.schema,
    validationRules: limitRules,
    parseOptions,
    introspection,
    documents,
    drain: () => ws.dispose(),
    ...(options.responseExtensions ? { responseExtensions: options.responseExtensions } : {}),
  });
  // Apollo's usage reporting (APOLLO_KEY) sees only what runs through its pipeline: then everything does.
  const direct =
    options.directExecution !== false && !process.env.APOLLO_KEY
      ? createDirectGraphQL({
          schema: options.schema,
          documents,
          introspection,
          onUnexpectedError: (error) => options.logger.error({ err: error }, "Unexpected error processing request"),
          ...(options.responseExtensions ? { responseExtensions: options.responseExtensions } : {}),
        })
      : undefined;
  // Built once: each request passes only its caller.
  const graphqlHttp: GraphQLHttpOptions = {
    apollo,
    ...(direct ? { direct } : {}),
    createContext: options.createContext,
    maxBodyBytes: options.maxBodyBytes,
    maxDocumentBytes: limits.maxDocumentBytes,
    streams: {
      schema: options.schema,
      documents,
      subscribe,
      recheck: (principal) => auth.recheck(principal),
      heartbeatMs: options.streamHeartbeatMs ?? 5_000,
      onEventFeed: (response) => inFlight.delete(response),
    },
  };
  const sse = serveGraphQLSse({
    schema: options.schema,
    documents,
    subscribe,
    maxBodyBytes: options.maxBodyBytes,
    maxDocumentBytes: limits.maxDocumentBytes,
    isDraining: () => draining,
  });
  const dashboard = createDashboard();

  /** The caller of an HTTP request, or undefined after answering the refusal in the door's own shape. */
  async function authenticateHttp(request: IncomingMessage, refuse: (status: number, message: string, code: string) => void): Promise<Principal | undefined> {
    try {
      return await auth.authenticate(request.headers.authorization);
    } catch (error) {
      const described = describeError(error);
      refuse(described.httpStatus, described.message, described.code);
      return undefined;
    }
  }

  options.bound?.stopAnsweringStarting();
  const requestLog = { logger: options.logger, ...(options.auth.keyPrefixOf ? { keyPrefixOf: (id: string) => options.auth.keyPrefixOf!(id) } : {}) };
  httpServer.on("request", (request: IncomingMessage, response: ServerResponse) => {
    const path = pathOf(request.url ?? "/");
    logEachRequest(requestLog, request, response, path, () => handleRequest(request, response, path));
  });

  function handleRequest(request: IncomingMessage, response: ServerResponse, path: string): void {
    if (draining) {
      // Not started, so nothing is lost: the client may retry elsewhere (it must not reuse this socket).
      sendRefusal(response, path, { status: 503, code: "UNAVAILABLE", message: "The server is shutting down; retry on another connection" }, { connection: "close", "retry-after": "1" });
      return;
    }
    if (!hostAllowed(request.headers.host)) {
      sendRefusal(response, path, { status: 403, code: "FORBIDDEN", message: hostRefusal(request.headers.host) });
      return;
    }
    if (request.method === "POST" && !originAllowed(request.headers.origin, request.headers.host)) {
      sendRefusal(response, path, { status: 403, code: "FORBIDDEN", message: `Origin ${request.headers.origin} is not allowed (server.allowedOrigins)` });
      return;
    }
    inFlight.add(response);
    route(request, response).catch((error: unknown) => {
      options.logger.error({ err: error }, "request failed");
      if (!response.headersSent) sendJson(response, 500, { error: { message: "Internal error", code: "INTERNAL" } });
      else response.destroy();
    });
  }

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = request.url ?? "/";
    const q = url.indexOf("?");
    const path = pathOf(url);
    const search = q === -1 ? "" : url.slice(q);

    if (path === "/graphql") {
      if (request.method === "GET" && search === "" && (request.headers.accept ?? "").includes("text/html")) {
        response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        response.end(options.playground.html);
        return;
      }
      const principal = await authenticateHttp(request, (status, message, code) => sendGraphQLError(response, status, message, code));
      if (!principal) return;
      await handleGraphQLHttp(graphqlHttp, { principal, safelist: safelistFor(principal) }, request, response, search);
      return;
    }
    if (path === "/graphql/stream") {
      const principal = await authenticateHttp(request, (status, message, code) => sendGraphQLError(response, status, message, code));
      if (!principal) return;
      const safelist = safelistFor(principal);
      await sse(request, response, {
        createContext: (signal) => options.createContext({ headers: request.headers, principal, request, signal }),
        recheck: () => auth.recheck(principal),
        ...(safelist ? { safelist } : {}),
      });
      return;
    }
    if (dashboard.handle(request, response, path)) return;
    if (path.startsWith("/playground/")) {
      const asset = options.playground.asset(path.slice("/playground/".length));
      if (asset) {
        response.writeHead(200, { "content-type": asset.type, "cache-control": "public, max-age=86400", "content-length": asset.body.length });
        response.end(asset.body);
        return;
      }
    }
    if (path === "/healthz") return sendJson(response, 200, { status: "ok" });
    if (path === "/readyz") {
      const readiness = await options.readiness();
      return sendJson(response, readiness.ready ? 200 : 503, { status: readiness.ready ? "ready" : "not ready", ...readiness.checks });
    }
    if (path === "/metrics" && options.metrics) {
      const refuse = (status: number, message: string, code: string) => sendJson(response, status, { error: { message, code } });
      const principal = await authenticateHttp(request, refuse);
      if (!principal) return;
      if (principal.kind !== "admin") return refuse(403, "Only the master key may read metrics", "FORBIDDEN");
      const metrics = await options.metrics();
      response.writeHead(200, { "content-type": metrics.contentType });
      response.end(metrics.body);
      return;
    }
    if (path === "/" && request.method === "GET") {
      response.writeHead(302, { location: "/graphql" });
      response.end();
      return;
    }
    const answering = options.extraRoutes ? options.extraRoutes(request, response, path) : false;
    // Returned, not awaited: this frame ends here rather than stay suspended for as long as a stream
    // the extra routes answer is open.
    if (answering !== false) return answering;
    // Under /v1 in OpenAI's error shape, so an SDK raises its NotFoundError; elsewhere ours.
    const message = path === "/v1" || path.startsWith("/v1/") ? `Invalid URL (${request.method} ${path})` : `No route for ${request.method} ${path}`;
    sendRefusal(response, path === "/v1" ? "/v1/" : path, { status: 404, code: "NOT_FOUND", message });
  }

  return {
    httpServer,
    listen: async (port, host = "127.0.0.1") => options.bound?.url ?? listenOn(httpServer, port, host),
    boundAddress() {
      const address = httpServer.address() as AddressInfo;
      return `${hostForUrl(address.address)}:${address.port}`;
    },
    async close() {
      draining = true;
      ws.stopSweep();
      const closed = httpServer.listening ? new Promise<void>((resolve) => httpServer.once("close", () => resolve())) : Promise.resolve();
      const runningOperations = ws.runningOperations;
      const graceMs = options.drainGraceMs ?? 10_000;
      if (!(await drainConnections({ httpServer, inFlight, runningOperations, graceMs }))) {
        options.logger.warn({ graceMs, answers: inFlight.size, operations: runningOperations() }, "shutdown grace ran out: cutting what still runs");
      }
      // Apollo's drain hook disposes graphql-ws: every WebSocket is closed with 1001. A client that does
      // not answer the close handshake, and any socket still mid-request, is cut after a second.
      const leftovers = setTimeout(() => {
        for (const client of wsServer.clients) client.terminate();
        httpServer.closeAllConnections();
      }, 1_000);
      await apollo.stop();
      await closed;
      clearTimeout(leftovers);
    },
  };
}

function pathOf(url: string): string {
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}

function hostRefusal(host: string | undefined): string {
  return `Host ${host} is not this machine: open dev mode answers only requests addressed to localhost, 127.0.0.1 or [::1]`;
}
