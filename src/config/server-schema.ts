import { z } from "zod";
import { DEFAULT_GRAPHQL_LIMITS } from "../server/graphql-limits.js";
import { nonNegativeInt, positiveInt } from "./number-schemas.js";

/** server.heapGrowthPercent when the config names none (README "Memory" has the measurements). */
export const DEFAULT_HEAP_GROWTH_PERCENT = 30;

/** What one GraphQL client may send (README "Limits"; src/server/graphql-limits.ts says what each counts). */
const graphqlLimitsSchema = z.strictObject({
  maxDepth: positiveInt.default(DEFAULT_GRAPHQL_LIMITS.maxDepth),
  maxComplexity: positiveInt.default(DEFAULT_GRAPHQL_LIMITS.maxComplexity),
  maxDocumentBytes: positiveInt.default(DEFAULT_GRAPHQL_LIMITS.maxDocumentBytes),
  maxTokens: positiveInt.default(DEFAULT_GRAPHQL_LIMITS.maxTokens),
  maxOperationsPerSocket: positiveInt.default(DEFAULT_GRAPHQL_LIMITS.maxOperationsPerSocket),
  /**
   * The operations safelist-only callers may run: an Apollo persisted query manifest (JSON; a path
   * relative to the config is found beside it). `enforceFor: safelistOnlyKeys` binds the keys
   * created with `safelistOnly: true`; `allKeys` binds every virtual key (never the master key).
   */
  safelist: z
    .strictObject({
      manifest: z.string().min(1),
      enforceFor: z.enum(["safelistOnlyKeys", "allKeys"]).default("safelistOnlyKeys"),
    })
    .optional(),
});

/** `https://app.example.com`, `http://localhost:5173`: a scheme, a host and an optional port, nothing else. */
const originSchema = z.string().refine(isOrigin, "expected an origin such as https://app.example.com (scheme, host, optional port; no path)");

export const serverSchema = z
  .strictObject({
    port: z.number().int().min(0).max(65535).default(4000),
    /** The listening address; 0.0.0.0 or a LAN address exposes the port to the network. */
    host: z.string().min(1).default("127.0.0.1"),
    /** Largest accepted request body; a larger one is refused with a typed error. */
    maxBodyBytes: positiveInt.default(16 * 1024 * 1024),
    /** Open dev mode (no master key) makes every caller admin: a non-loopback host is refused unless this says the risk is accepted. */
    allowOpenModeOnNetwork: z.boolean().default(false),
    /** Browser origins that may open WebSockets and POST; absent: loopback origins in open dev mode, any origin with a master key. */
    allowedOrigins: z.array(originSchema).optional(),
    /** A connection must deliver a request's complete headers this long after it opened (or after its previous request). */
    headersTimeoutMs: positiveInt.default(15_000),
    /** ... and the whole request, body included; answering may take longer (streams are not cut). */
    requestTimeoutMs: positiveInt.default(60_000),
    /** An idle kept-alive connection is closed after this long (above a load balancer's usual 60 s). */
    keepAliveTimeoutMs: positiveInt.default(65_000),
    /** Open connections (HTTP and WebSocket) at most; more are closed on accept. Keep it below the process's file limit. */
    maxConnections: positiveInt.default(10_000),
    /**
     * How far V8 lets the heap grow past what the last full garbage collection kept, in percent
     * (V8's --heap-growing-percent); 0 leaves V8's own choice, which lets a process with thousands of
     * open streams hold several times their live memory in garbage. See README "Memory".
     */
    heapGrowthPercent: nonNegativeInt.default(DEFAULT_HEAP_GROWTH_PERCENT),
    /** At shutdown, how long answers and WebSocket operations already begun may run before they are cut. */
    shutdownGraceMs: positiveInt.default(10_000),
    /**
     * Processes serving the one port (node:cluster): a number, or "auto" for one per core the
     * process may use. More than 1 (and "auto") needs state.redis and a Postgres database.url.
     */
    workers: z.union([positiveInt, z.literal("auto")]).default(1),
    graphql: graphqlLimitsSchema.default(DEFAULT_GRAPHQL_LIMITS),
  })
  .refine((server) => server.headersTimeoutMs <= server.requestTimeoutMs, {
    path: ["headersTimeoutMs"],
    message: "headersTimeoutMs must not be larger than requestTimeoutMs",
  });

function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.origin === value.replace(/\/$/, "").toLowerCase();
  } catch {
    return false;
  }
}
