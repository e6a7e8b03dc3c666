import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { CallRecord } from "../core/index.js";

/** What a request's call adds to its log line (the completion path notes it while the request runs). */
export interface RequestCallFields {
  callId?: string;
  /** The virtual key; the line shows its display prefix (never the secret). */
  keyId?: string;
  group?: string;
  deployment?: string;
  attempts?: number;
}

// Kept on the request itself, not in AsyncLocalStorage: on Node 20 the latter turns on promise hooks for the
// whole process, and measured back to back (npm run bench) it cost 11% of /v1's and 15% of GraphQL's
// closed-loop throughput and made graphql-ws TTFT at 500/s queue (p50 38 ms → 636 ms). Nor in a WeakMap keyed
// by the request: an entry per request (a new key every time, each an ephemeron the GC must visit) cost
// 0.7–2.9 µs per request in process on this machine, against ~0.1 µs for a property under a symbol.
const FIELDS = Symbol("switchyard.requestCallFields");
type LoggedRequest = IncomingMessage & { [FIELDS]?: RequestCallFields };

/** Probes and static files: logged at debug, so that a load balancer's checks do not drown the request lines. */
const QUIET = /^\/(healthz|readyz|metrics|favicon\.ico)$|^\/playground\/|^\/dashboard\//;

/**
 * Runs one HTTP request with a place for its call's fields, and writes one line when its answer
 * ends: method, path, status, ms, and the call id, key prefix, group, deployment and attempts when
 * it made a call.
 */
export function logEachRequest(options: { logger: Logger; keyPrefixOf?: (keyId: string) => string | undefined }, request: IncomingMessage, response: ServerResponse, path: string, handle: () => void): void {
  const { logger } = options;
  const started = performance.now();
  const fields: RequestCallFields = {};
  // `on`, not `once`: a response closes once, and `once` wraps every listener in a bound function of its own.
  response.on("close", () => {
    const status = response.headersSent ? response.statusCode : 0;
    const level = status >= 500 ? "warn" : QUIET.test(path) ? "debug" : "info";
    // A line the logger would drop is not built (the default bench and production level is often warn).
    if (!logger.isLevelEnabled(level)) return;
    const keyPrefix = fields.keyId !== undefined ? options.keyPrefixOf?.(fields.keyId) : undefined;
    const { keyId: _keyId, ...callFields } = fields;
    const line = { method: request.method, path, status, ms: Math.round((performance.now() - started) * 10) / 10, ...callFields, ...(keyPrefix ? { keyPrefix } : {}), ...(response.writableFinished ? {} : { aborted: true }) };
    logger[level](line, "request");
  });
  (request as LoggedRequest)[FIELDS] = fields;
  handle();
}

/** Adds a recorded call's fields to the line of the HTTP request that made it (a no-op for a request not logged). */
export function noteRequestCall(request: IncomingMessage, call: CallRecord): void {
  const fields = (request as LoggedRequest)[FIELDS];
  if (!fields) return;
  fields.callId = call.id;
  if (call.keyId) fields.keyId = call.keyId;
  if (call.modelGroup) fields.group = call.modelGroup;
  if (call.deployment) fields.deployment = call.deployment;
  fields.attempts = call.attempts.length;
}
