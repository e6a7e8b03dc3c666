import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApolloServer } from "@apollo/server";
import { ApolloServerPluginLandingPageDisabled } from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import type { GraphQLSchema } from "graphql";
import { useServer } from "graphql-ws/use/ws";
import type { Logger } from "pino";
import { WebSocketServer } from "ws";
import type { GraphQLContext } from "../graphql/context.js";
import { formatGraphQLError } from "./format-graphql-error.js";
import { handleGraphQLHttp } from "./handle-graphql-http.js";
import type { Playground } from "./playground.js";
import { sendJson } from "./send-json.js";

export interface Readiness {
  ready: boolean;
  checks: Record<string, unknown>;
}

export interface ServerOptions {
  schema: GraphQLSchema;
  /** Called per HTTP request and per WebSocket operation. */
  createContext(input: { headers: IncomingMessage["headers"]; signal?: AbortSignal; connectionParams?: Record<string, unknown> }): Promise<GraphQLContext> | GraphQLContext;
  readiness(): Promise<Readiness>;
  metrics?(): Promise<{ contentType: string; body: string }>;
  /** Extra routes (the OpenAI-compatible /v1 API): return true when handled. */
  extraRoutes?(request: IncomingMessage, response: ServerResponse, path: string): Promise<boolean>;
  playground: Playground;
  maxBodyBytes: number;
  logger: Logger;
}

export interface RunningServer {
  httpServer: Server;
  /** Resolves the base URL, e.g. http://127.0.0.1:4000 */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
}

/** One HTTP port: GraphQL over HTTP (Apollo) and WebSocket (graphql-ws) on /graphql, health, metrics, playground. */
export async function createServer(options: ServerOptions): Promise<RunningServer> {
  const httpServer = createHttpServer({ keepAliveTimeout: 65_000, requestTimeout: 0 });
  const wsServer = new WebSocketServer({ server: httpServer, path: "/graphql", maxPayload: options.maxBodyBytes });
  const wsCleanup = useServer(
    {
      schema: options.schema,
      context: (ctx) =>
        options.createContext({ headers: ctx.extra.request.headers, connectionParams: ctx.connectionParams as Record<string, unknown> | undefined }),
      onError: (_ctx, _id, _payload, errors) => {
        options.logger.warn({ errors: errors.map((e) => e.message) }, "graphql-ws operation failed");
      },
    },
    wsServer,
  );
  const apollo = new ApolloServer<GraphQLContext>({
    schema: options.schema,
    includeStacktraceInErrorResponses: false,
    formatError: formatGraphQLError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      { async serverWillStart() { return { async drainServer() { await wsCleanup.dispose(); } }; } },
    ],
  });
  await apollo.start();
  const graphqlOptions = { apollo, createContext: options.createContext, maxBodyBytes: options.maxBodyBytes };

  httpServer.on("request", (request: IncomingMessage, response: ServerResponse) => {
    route(request, response).catch((error: unknown) => {
      options.logger.error({ err: error }, "request failed");
      if (!response.headersSent) sendJson(response, 500, { error: { message: "Internal error", code: "INTERNAL" } });
      else response.destroy();
    });
  });

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = request.url ?? "/";
    const q = url.indexOf("?");
    const path = q === -1 ? url : url.slice(0, q);
    const search = q === -1 ? "" : url.slice(q);

    if (path === "/graphql") {
      if (request.method === "GET" && search === "" && (request.headers.accept ?? "").includes("text/html")) {
        response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        response.end(options.playground.html);
        return;
      }
      await handleGraphQLHttp(graphqlOptions, request, response, search);
      return;
    }
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
    if (options.extraRoutes && (await options.extraRoutes(request, response, path))) return;
    sendJson(response, 404, { error: { message: `No route for ${request.method} ${path}`, code: "NOT_FOUND" } });
  }

  return {
    httpServer,
    listen: (port, host = "0.0.0.0") =>
      new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => {
          httpServer.off("error", reject);
          const address = httpServer.address() as AddressInfo;
          const shownHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host;
          resolve(`http://${shownHost}:${address.port}`);
        });
      }),
    async close() {
      for (const client of wsServer.clients) client.close(1001, "server shutting down");
      await apollo.stop();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}
