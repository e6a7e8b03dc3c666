import { AsyncLocalStorage } from "node:async_hooks";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";

/** What a request's call adds to its log line (the completion path notes it while the request runs). */
export interface RequestCallFields {
  callId?: string;
  /** The virtual key's display prefix (never the secret). */
  keyPrefix?: string;
  group?: string;
  deployment?: string;
  attempts?: number;
}

const current = new AsyncLocalStorage<RequestCallFields>();

/** Probes and static files: logged at debug, so that a load balancer's checks do not drown the request lines. */
const QUIET = /^\/(healthz|readyz|metrics|favicon\.ico)$|^\/playground\/|^\/dashboard\//;

/**
 * Runs one HTTP request with a place for its call's fields, and writes one line when its answer
 * ends: method, path, status, ms, and the call id, key prefix, group, deployment and attempts when
 * it made a call.
 */
export function logEachRequest(logger: Logger, request: IncomingMessage, response: ServerResponse, path: string, handle: () => void): void {
  const started = performance.now();
  const fields: RequestCallFields = {};
  response.once("close", () => {
    const status = response.headersSent ? response.statusCode : 0;
    const line = { method: request.method, path, status, ms: Math.round((performance.now() - started) * 10) / 10, ...fields, ...(response.writableFinished ? {} : { aborted: true }) };
    if (status >= 500) logger.warn(line, "request");
    else if (QUIET.test(path)) logger.debug(line, "request");
    else logger.info(line, "request");
  });
  current.run(fields, handle);
}

/** Adds a call's fields to the line of the HTTP request it runs in (a no-op outside one, e.g. on a WebSocket). */
export function noteRequestCall(fields: RequestCallFields): void {
  const store = current.getStore();
  if (store) Object.assign(store, fields);
}
