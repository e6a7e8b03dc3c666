import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createH2cServer } from "node:http2";
import type { AddressInfo, Socket } from "node:net";
import { handleCompletion } from "./handle-completion.js";
import { EMBEDDING_WIRES } from "./embedding-wires.js";
import { handleEmbedding } from "./handle-embedding.js";
import { matchEmbeddingRoute, type EmbeddingRoute } from "./match-embedding-route.js";
import { matchRoute } from "./match-route.js";
import { createPromptCache, type PromptCache } from "./prompt-cache.js";
import { createRateLimitWindow, type RateLimitWindow } from "./rate-limit-window.js";
import { sendJson } from "./send-json.js";
import type { SimulatorProfile } from "./simulator-profile.js";
import { createStreamGate } from "./stream-gate.js";
import { invalidUrl, modelNotFound } from "../providers/openai/wire/openai-error.js";
import { authorizeBearer } from "./wire/openai/openai-wire.js";
import type { WireResponse } from "./wire/wire-format.js";
import { WIRE_FORMATS } from "./wire/wire-formats.js";

export interface SimulatorOptions {
  /** Seeds every answer and failure draw. Default 0. */
  seed?: number;
  /** Served under `/p/{name}/…` in every wire format. A profile named "default" replaces `defaultProfile`. */
  profiles?: Record<string, SimulatorProfile>;
  /** Served by the unprefixed routes. Default {}: 16 tokens, at once, no failures. */
  defaultProfile?: SimulatorProfile;
  /**
   * When set, every route requires it the way its provider sends keys (OpenAI `Authorization:
   * Bearer`, Azure `api-key`, Anthropic `x-api-key` or Bearer, Gemini `x-goog-api-key` or `?key=`,
   * Ollama Bearer) and refuses in the provider's shape. Bedrock always requires a SigV4-shaped
   * `authorization` (or, with a key, `Bearer <apiKey>`).
   */
  apiKey?: string;
  /** Clock for `created` and the rate-limit windows. Default Date.now. */
  now?: () => number;
  /**
   * Serve HTTP/2 over cleartext (h2c, prior knowledge) instead of HTTP/1.1, through Node's
   * compatibility API: many streams share one connection. A `reset` failure resets the stream.
   */
  http2?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON; the raw text when it did not parse; undefined for GETs and refused requests. */
  body: unknown;
  /** Profile name ("default" for the unprefixed routes; "" when no route matched). */
  profile: string;
}

export interface Simulator {
  /** Resolves the base URL, e.g. "http://127.0.0.1:43123". Defaults: port 0, host 127.0.0.1. */
  listen(port?: number, host?: string): Promise<string>;
  /** The base URL; throws before listen(). */
  readonly url: string;
  /** Adds or replaces a profile; request counters and rate-limit windows carry on. */
  setProfile(name: string, profile: SimulatorProfile): void;
  /** The last 1000 requests, oldest first. */
  readonly requests: RecordedRequest[];
  /** `requests`: received so far; `open`: responses not yet finished or abandoned. */
  readonly stats: { requests: number; open: number };
  /**
   * Resumes the streams of `holdAfterFirstToken` profiles waiting after their first token, and lets
   * later ones pass without waiting; returns how many were waiting.
   */
  releaseHeldStreams(): number;
  /** Closes the server and destroys every open socket, hung ones included. */
  close(): Promise<void>;
}

interface ProfileState {
  profile: SimulatorProfile;
  requestCount: number;
  rateLimit: RateLimitWindow;
  promptCache: PromptCache;
}

const DEFAULT_PROFILE = "default";
const RECORD_LIMIT = 1000;
const MODEL_CREATED = 1_700_000_000;

export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const seed = options.seed ?? 0;
  const now = options.now ?? Date.now;
  const apiKey = options.apiKey;
  const profiles = new Map<string, ProfileState>();
  const requests: RecordedRequest[] = [];
  const stats = { requests: 0, open: 0 };
  const gate = createStreamGate();
  let url: string | undefined;

  const setProfile = (name: string, profile: SimulatorProfile): void => {
    const existing = profiles.get(name);
    if (existing !== undefined) existing.profile = profile;
    else profiles.set(name, { profile, requestCount: 0, rateLimit: createRateLimitWindow(now), promptCache: createPromptCache() });
  };
  setProfile(DEFAULT_PROFILE, options.defaultProfile ?? {});
  for (const [name, profile] of Object.entries(options.profiles ?? {})) setProfile(name, profile);

  const record = (req: IncomingMessage, path: string, profile: string, body: unknown): void => {
    requests.push({ method: req.method ?? "", path, headers: req.headers, body, profile });
    if (requests.length > RECORD_LIMIT) requests.shift();
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    stats.requests++;
    stats.open++;
    res.once("close", () => stats.open--);
    const method = req.method ?? "GET";
    const rawUrl = req.url ?? "/";
    const query = rawUrl.indexOf("?");
    const path = query < 0 ? rawUrl : rawUrl.slice(0, query);

    const embedRoute = matchEmbeddingRoute(method, path);
    if (embedRoute !== undefined) return serveEmbedding(req, res, path, embedRoute, query < 0 ? "" : rawUrl.slice(query + 1));
    const route = matchRoute(method, path);
    if (route === undefined) {
      record(req, path, "", undefined);
      const error = invalidUrl(method, path);
      sendJson(res, error.status, error.body);
      return;
    }
    const profileName = route.profile ?? DEFAULT_PROFILE;
    const refuse = (error: WireResponse): void => {
      record(req, path, profileName, undefined);
      sendJson(res, error.status, error.body, error.headers);
    };
    if (route.endpoint === "models") {
      const refusal = authorizeBearer(req.headers, apiKey);
      if (refusal !== undefined) return refuse(refusal);
      const state = profiles.get(profileName);
      if (state === undefined) return refuse(modelNotFound(profileName));
      record(req, path, profileName, undefined);
      sendJson(res, 200, listModels(route.profile === undefined ? [...profiles] : [[profileName, state]]));
      return;
    }
    const wire = WIRE_FORMATS[route.endpoint];
    const wireRoute = { model: route.model, stream: route.stream, query: query < 0 ? "" : rawUrl.slice(query + 1) };
    const refusal = wire.authorize(req.headers, wireRoute, apiKey);
    if (refusal !== undefined) return refuse(refusal);
    const state = profiles.get(profileName);
    if (state === undefined) return refuse(wire.profileNotFound(profileName));

    const requestNumber = state.requestCount++;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.once("end", () => {
      handleCompletion({
        res,
        wire,
        route: wireRoute,
        bodyText: Buffer.concat(chunks).toString("utf8"),
        profileName,
        profile: state.profile,
        requestNumber,
        seed,
        nowMs: now(),
        rateLimit: state.rateLimit,
        promptCache: state.promptCache,
        record: (body) => record(req, path, profileName, body),
        gate,
      });
    });
  };

  const serveEmbedding = (req: IncomingMessage, res: ServerResponse, path: string, route: EmbeddingRoute, query: string): void => {
    const profileName = route.profile ?? DEFAULT_PROFILE;
    const wire = WIRE_FORMATS[route.wire];
    const refuse = (error: WireResponse): void => {
      record(req, path, profileName, undefined);
      sendJson(res, error.status, error.body, error.headers);
    };
    const refusal = wire.authorize(req.headers, { model: route.model, query }, apiKey);
    if (refusal !== undefined) return refuse(refusal);
    const state = profiles.get(profileName);
    if (state === undefined) return refuse(wire.profileNotFound(profileName));
    state.requestCount++;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.once("end", () => {
      handleEmbedding({
        res,
        wire,
        embedding: EMBEDDING_WIRES[route.wire]!,
        bodyText: Buffer.concat(chunks).toString("utf8"),
        pathModel: route.model,
        profileModel: state.profile.model,
        profileName,
        seed,
        record: (body) => record(req, path, profileName, body),
      });
    });
  };

  // The HTTP/2 compatibility API's request and response stand in for node:http's (same members used here).
  const server = options.http2 === true ? createH2cServer(onRequest as unknown as Parameters<typeof createH2cServer>[0]) : createServer(onRequest);
  // Tracked so close() can wait until every socket (and so every response) has really closed.
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  return {
    listen(port = 0, host = "127.0.0.1") {
      return new Promise<string>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          const address = server.address() as AddressInfo;
          const hostPart = address.family === "IPv6" ? `[${address.address}]` : address.address;
          url = `http://${hostPart}:${address.port}`;
          resolve(url);
        });
      });
    },
    get url() {
      if (url === undefined) throw new Error("simulator is not listening; call listen() first");
      return url;
    },
    setProfile,
    requests,
    stats,
    releaseHeldStreams: () => gate.release(),
    async close() {
      if (!server.listening) return;
      const closed = new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
      });
      const socketsClosed = [...sockets].map((socket) => new Promise<void>((resolve) => {
        socket.once("close", () => resolve());
        socket.destroy();
      }));
      await Promise.all([closed, ...socketsClosed]);
    },
  };
}

function listModels(entries: ReadonlyArray<readonly [string, ProfileState]>): string {
  const ids = new Set(entries.map(([name, state]) => state.profile.model ?? name));
  const data = [...ids].map((id) => ({ id, object: "model", created: MODEL_CREATED, owned_by: "switchyard-simulator" }));
  return JSON.stringify({ object: "list", data });
}
