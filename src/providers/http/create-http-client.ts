import { Agent, buildConnector, type Dispatcher } from "undici";
import { CONNECTION_WAIT_CODE, LightAbort, ProviderError } from "../../core/index.js";
import { BodyChunks } from "./body-chunks.js";
import { mayRequestAgain, tagReusedConnectionErrors } from "./closed-reused-connection.js";
import { mapTransportError } from "./map-transport-error.js";
import { reportSent, SENT } from "./report-sent.js";
import type { HttpHeaders } from "./read-header.js";

/** Where to send a request; adapters precompute `{ origin, path }` once instead of parsing a URL per call. */
export type HttpTarget = string | URL | { origin: string; path: string };

export interface PostJsonOptions {
  /** Provider name carried by every ProviderError this call produces. */
  provider: string;
  /** Lower-case names. `content-type: application/json` is added when absent. */
  headers?: Record<string, string>;
  /** The caller's cancellation: aborts the request or the body, and fails it as `cancelled`. */
  signal?: AbortSignal;
  /** Our own deadline; when it passes the request is aborted and fails as `timeout`. */
  timeoutMs?: number;
  /**
   * What `timeoutMs` bounds. `"response"` (default): everything, until the body is read or the
   * response released. `"headers"`: only until a 2xx status arrives (a stream's first byte); for
   * any other status it keeps running until the error body is read, so that cannot stall either.
   */
  timeoutScope?: "response" | "headers";
  /**
   * Longest wait for a pooled connection before the request is written; past it the call fails as
   * `connection` with code CONNECTION_WAIT_CODE (our pool was full, not the provider's fault).
   * Default: `timeoutMs`. With scope `"headers"` the `timeoutMs` deadline only starts once the
   * request is written, so the wait for a connection never turns into a first-byte timeout.
   */
  queueTimeoutMs?: number;
  /** Called when the request is handed to the pool (it may wait there for a connection). */
  onWaiting?: () => void;
  /** Called when the request is being written to a connection. */
  onSent?: () => void;
  /** undici's limit on waiting for headers, overriding the client's default. */
  headersTimeoutMs?: number;
  /** undici's limit on silence between body chunks, overriding the client's default. */
  bodyTimeoutMs?: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: HttpHeaders;
  /**
   * The body's bytes. Leaving a loop early does not close the request: finish with `release()`
   * (the protocol ended) or `abort()` (give up). Errors thrown while iterating are raw transport
   * errors or our own ProviderErrors; pass them through `mapTransportError`.
   */
  readonly body: AsyncIterable<Uint8Array>;
  /**
   * The whole body as UTF-8. With `maxBytes`, reading stops there and the rest is dropped
   * (for error bodies, which are only shown as a snippet). Rejects with a ProviderError.
   */
  text(maxBytes?: number): Promise<string>;
  /** The protocol is done (e.g. `[DONE]` seen): drain what is left so the socket can be reused. */
  release(): void;
  /** Stop now; if the body was not finished the socket is closed, which tells the upstream to stop. */
  abort(): void;
}

export interface HttpClient {
  /** POSTs `body` (serialised with JSON.stringify unless already a string). Rejects with a ProviderError. */
  postJson(target: HttpTarget, body: unknown, options: PostJsonOptions): Promise<HttpResponse>;
  /** Closes pooled connections once in-flight requests finish. */
  close(): Promise<void>;
}

export interface HttpClientOptions {
  /** Connections per upstream origin (each HTTP/1.1 stream holds one for its whole length). Default: DEFAULT_CONNECTIONS, DEFAULT_H2_CONNECTIONS with `http2`. */
  connections?: number;
  /** Offer HTTP/2: ALPN on https origins (HTTP/1.1 if the server declines), prior knowledge (h2c) on http ones. */
  http2?: boolean;
  /** Certificate authorities to trust for https upstreams instead of Node's bundle (a self-hosted model server's own CA). */
  ca?: string | string[];
  keepAliveTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Default wait for headers; long, because a non-streamed answer arrives all at once. */
  headersTimeoutMs?: number;
  /** Default longest silence between body chunks. */
  bodyTimeoutMs?: number;
  /** Use this dispatcher instead of creating an Agent (tests, proxies). It is not closed by `close()`. */
  dispatcher?: Dispatcher;
}

/**
 * Connections per origin when the config names none. Each HTTP/1.1 stream holds a connection for
 * its whole length, so this is the number of concurrent streams per provider origin: high enough
 * for thousands of slow streams (each costs a socket and tens of kB), low enough that a runaway
 * cannot exhaust file descriptors (the inbound side needs as many again). Past it, requests wait
 * for a connection, and that wait is reported apart from provider timeouts.
 */
export const DEFAULT_CONNECTIONS = 8192;

/** Streams per HTTP/2 connection: the common server limit (Node's and most providers' SETTINGS). */
const H2_STREAMS_PER_CONNECTION = 100;

/**
 * Connections per origin over HTTP/2 when the config names none: as many streams as DEFAULT_CONNECTIONS
 * gives HTTP/1.1. Not more: undici's pool opens a new connection for each request that arrives while
 * the others are still connecting, so a burst of streams opens up to this many before any is shared.
 */
export const DEFAULT_H2_CONNECTIONS = Math.ceil(DEFAULT_CONNECTIONS / H2_STREAMS_PER_CONNECTION);

/** Left-over bytes after a protocol's end marker worth reading to keep a socket; past this, close it. */
const DRAIN_LIMIT_BYTES = 64 * 1024;
const DRAIN_TIMEOUT_MS = 1000;

const noop = (): void => {};
const destroyBody = (body: Dispatcher.ResponseData["body"]): void => void body.destroy();

/** HTTP/2 by ALPN on https and by prior knowledge on http (`useH2c`, which undici's types do not list yet). */
const h2ConnectorOptions = (options: HttpClientOptions): buildConnector.BuildOptions =>
  ({ allowH2: true, useH2c: true, timeout: options.connectTimeoutMs ?? 10_000, ...(options.ca !== undefined ? { ca: options.ca } : {}) }) as buildConnector.BuildOptions;

/** What undici's Pool would build from `connectTimeout` and `connect: { ca }`. */
const h1ConnectorOptions = (options: HttpClientOptions): buildConnector.BuildOptions => ({
  timeout: options.connectTimeoutMs ?? 10_000,
  ...(options.ca !== undefined ? { ca: options.ca } : {}),
});

const toTarget = (target: HttpTarget): { origin: string; path: string } => {
  if (typeof target === "object" && !(target instanceof URL)) return target;
  const url = typeof target === "string" ? new URL(target) : target;
  return { origin: url.origin, path: url.pathname + url.search };
};

/**
 * A keep-alive HTTP client for provider calls: one undici Agent, which pools connections per
 * origin. Every failure becomes a ProviderError: `connection` for refused/reset/closed sockets,
 * `timeout` for our deadline or undici's, `cancelled` (not retryable) for the caller's signal.
 */
export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const ownsDispatcher = options.dispatcher === undefined;
  const http2 = options.http2 === true;
  const connections = options.dispatcher === undefined ? (options.connections ?? (http2 ? DEFAULT_H2_CONNECTIONS : DEFAULT_CONNECTIONS)) : options.connections;
  const base =
    options.dispatcher ??
    new Agent({
      connections: connections!,
      // `pipelining` is how many requests share a connection at once: one for HTTP/1.1, the streams
      // per connection for HTTP/2 (where requests are also marked idempotent, below, as undici
      // otherwise sends one POST per connection at a time). That is why `http2` is for upstreams that
      // do speak HTTP/2: an https one that declined it in ALPN would get pipelined HTTP/1.1.
      pipelining: options.http2 ? H2_STREAMS_PER_CONNECTION : 1,
      ...(options.http2 ? { allowH2: true, maxConcurrentStreams: H2_STREAMS_PER_CONNECTION } : {}),
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 10_000,
      connectTimeout: options.connectTimeoutMs ?? 10_000,
      // Our own connector: undici's Pool (any `connections` above 1) builds its connector without
      // `useH2c`, so h2c is only spoken when the connector is ours; and it tags the errors of reused
      // connections (see mayRequestAgain).
      connect: tagReusedConnectionErrors(buildConnector(options.http2 ? h2ConnectorOptions(options) : h1ConnectorOptions(options))),
      headersTimeout: options.headersTimeoutMs ?? 600_000,
      bodyTimeout: options.bodyTimeoutMs ?? 300_000,
    });
  const dispatcher = reportSent(base);

  async function postJson(target: HttpTarget, body: unknown, call: PostJsonOptions): Promise<HttpResponse> {
    const { provider, signal, timeoutMs } = call;
    const calledAt = performance.now();
    if (signal?.aborted) throw cancelledError(provider, signal.reason);
    let payload: string;
    try {
      payload = typeof body === "string" ? body : JSON.stringify(body);
    } catch (error) {
      // A cycle or a BigInt in provider options: no attempt anywhere can send this.
      throw new ProviderError({ kind: "bad_request", provider, message: "request body is not serialisable as JSON", cause: error });
    }

    // Only calls with a signal or a deadline pay for a controller and a timer.
    const { origin, path } = toTarget(target);
    let controller: LightAbort | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onCallerAbort: (() => void) | undefined;
    let sent = false;
    const queueTimeoutMs = call.queueTimeoutMs ?? timeoutMs;
    const headersOnly = call.timeoutScope === "headers";
    if (signal !== undefined || timeoutMs !== undefined || queueTimeoutMs !== undefined) {
      const ownController = new LightAbort();
      controller = ownController;
      if (signal !== undefined) {
        onCallerAbort = () => ownController.abort(cancelledError(provider, signal.reason));
        signal.addEventListener("abort", onCallerAbort, { once: true });
      }
      // Until the request is written the only clock is the wait for a connection; a headers-scoped
      // deadline starts when it is written, a whole-response one counts from here.
      const firstLimit = headersOnly || timeoutMs === undefined ? queueTimeoutMs : Math.min(timeoutMs, queueTimeoutMs ?? timeoutMs);
      if (firstLimit !== undefined) {
        timer = setTimeout(() => {
          ownController.abort(
            sent ? timeoutError(provider, timeoutMs!, call.timeoutScope) : waitError(provider, origin, performance.now() - calledAt, connections),
          );
        }, firstLimit);
      }
    }
    const stopTimer = (): void => {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    };
    const onSent = (): void => {
      sent = true;
      if (headersOnly || call.queueTimeoutMs !== undefined) {
        // The wait is over: from here only the provider's own deadline runs.
        stopTimer();
        if (timeoutMs !== undefined && controller !== undefined) {
          const own = controller;
          const remaining = headersOnly ? timeoutMs : timeoutMs - (performance.now() - calledAt);
          timer = setTimeout(() => own.abort(timeoutError(provider, timeoutMs, call.timeoutScope)), Math.max(0, remaining));
        }
      }
      call.onSent?.();
    };
    const cleanup = (): void => {
      stopTimer();
      if (onCallerAbort !== undefined) signal?.removeEventListener("abort", onCallerAbort);
    };

    const headers =
      call.headers?.["content-type"] !== undefined ? call.headers : { "content-type": "application/json", ...call.headers };
    let data: Dispatcher.ResponseData | undefined;
    try {
      // One shape for every request (undici reads an undefined timeout or `idempotent` as unset), and the
      // symbol set after the literal: a computed key in it would define every field on V8's slow path.
      const request: Dispatcher.RequestOptions & { [SENT]?: () => void } = {
        origin,
        path,
        method: "POST",
        headers,
        body: payload,
        // undici takes any object with `aborted`, `reason` and abort listeners (its types say AbortSignal).
        signal: controller as AbortSignal | undefined,
        idempotent: http2 ? true : undefined,
        headersTimeout: call.headersTimeoutMs,
        bodyTimeout: call.bodyTimeoutMs,
      };
      request[SENT] = onSent;
      call.onWaiting?.();
      // Sent again when the upstream closed the reused connection it went out on before answering
      // (mayRequestAgain). The loop is here, not in a helper of its own: one async layer (a promise
      // and a microtask) less on every call.
      for (let retries = 0; data === undefined; retries++) {
        try {
          data = await dispatcher.request(request);
        } catch (error) {
          if (!mayRequestAgain(error, retries, controller)) throw error;
        }
      }
    } catch (error) {
      cleanup();
      throw mapTransportError(error, provider);
    }
    // A body error while nobody is reading must not become an uncaught 'error' event.
    data.body.on("error", noop);
    // `on`, not `once`: a body closes once, and `once` wraps the listener in a bound function of its own.
    data.body.on("close", cleanup);
    if (call.timeoutScope === "headers" && data.statusCode >= 200 && data.statusCode < 300) stopTimer();
    return new UndiciHttpResponse(data, provider);
  }

  return {
    postJson,
    close: async () => {
      if (ownsDispatcher) await dispatcher.close();
    },
  };
}

/** A body's chunks as an iterable: the method on the prototype (an object literal with a computed symbol key costs ~0.2 µs per response). */
class BodyIterable implements AsyncIterable<Uint8Array> {
  readonly #raw: Dispatcher.ResponseData["body"];
  constructor(raw: Dispatcher.ResponseData["body"]) {
    this.#raw = raw;
  }
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return new BodyChunks(this.#raw);
  }
}

class UndiciHttpResponse implements HttpResponse {
  readonly status: number;
  readonly headers: HttpHeaders;
  readonly body: AsyncIterable<Uint8Array>;
  readonly #raw: Dispatcher.ResponseData["body"];
  readonly #provider: string;

  constructor(data: Dispatcher.ResponseData, provider: string) {
    this.status = data.statusCode;
    this.headers = data.headers;
    this.#raw = data.body;
    this.#provider = provider;
    this.body = new BodyIterable(data.body);
  }

  async text(maxBytes?: number): Promise<string> {
    if (maxBytes === undefined) {
      // The whole body (a non-streamed answer): undici's own reader, on the stream's events, costs
      // less than an async iterator over it and a TextDecoder per call; like TextDecoder it drops a
      // leading BOM and turns malformed UTF-8 into U+FFFD.
      try {
        return await this.#raw.text();
      } catch (error) {
        throw mapTransportError(error, this.#provider);
      }
    }
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of this.#raw.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
        if (size + chunk.length >= maxBytes) {
          chunks.push(chunk.subarray(0, maxBytes - size));
          this.abort();
          break;
        }
        chunks.push(chunk);
        size += chunk.length;
      }
    } catch (error) {
      throw mapTransportError(error, this.#provider);
    }
    // TextDecoder (not Buffer#toString) so a character cut by maxBytes becomes U+FFFD, not garbage.
    return chunks.length === 1 ? new TextDecoder().decode(chunks[0]) : new TextDecoder().decode(Buffer.concat(chunks));
  }

  release(): void {
    const raw = this.#raw;
    if (raw.destroyed || raw.readableEnded) return;
    // A plain timer, not AbortSignal.timeout: that one is a signal, a weakly held timer and a
    // DOMException when it fires, for every stream, although the rest is nearly always here already.
    const timer = setTimeout(destroyBody, DRAIN_TIMEOUT_MS, raw);
    timer.unref();
    const stop = (): void => clearTimeout(timer);
    raw.dump({ limit: DRAIN_LIMIT_BYTES }).then(stop, stop);
  }

  abort(): void {
    if (!this.#raw.destroyed) this.#raw.destroy();
  }
}

const waitError = (provider: string, origin: string, waitedMs: number, connections: number | undefined): ProviderError =>
  new ProviderError({
    kind: "connection",
    provider,
    code: CONNECTION_WAIT_CODE,
    message: `waited ${Math.round(waitedMs)} ms for a connection to ${origin} (${connections === undefined ? "pool" : `pool of ${connections}`} full)`,
  });

const cancelledError = (provider: string, reason: unknown): ProviderError =>
  new ProviderError({ kind: "cancelled", provider, message: "request cancelled by the caller", cause: reason });

const timeoutError = (provider: string, timeoutMs: number, scope: PostJsonOptions["timeoutScope"]): ProviderError =>
  new ProviderError({
    kind: "timeout",
    provider,
    message:
      scope === "headers"
        ? `no response from the provider within ${timeoutMs} ms`
        : `the provider call took longer than ${timeoutMs} ms`,
  });
