import { ProviderError, type ProviderErrorKind } from "../../../core/index.js";
import { buildProviderError } from "../../http/build-provider-error.js";
import type { ClassifierInput } from "../../http/classifier-input.js";
import { fallbackErrorMessage } from "../../http/fallback-error-message.js";
import { kindFromHttpStatus } from "../../http/kind-from-http-status.js";
import { parseErrorBody } from "../../http/parse-error-body.js";
import { parseGoDuration } from "../../http/parse-go-duration.js";
import { parseRetryAfter } from "../../http/parse-retry-after.js";

/** A Gemini error: an HTTP error response, or an error object sent inside a 200 stream. */
export type GeminiErrorInput = ClassifierInput;

type Json = Record<string, unknown>;

/** What a google.rpc.Status error body says, as far as classification needs it. */
interface StatusFields {
  /** The HTTP status the body itself names (`error.code`). */
  code?: number;
  message?: string;
  /** `INVALID_ARGUMENT`, `RESOURCE_EXHAUSTED`, … */
  status?: string;
  /** `ErrorInfo.reason`, e.g. `API_KEY_INVALID`. */
  reason?: string;
  /** `RetryInfo.retryDelay`, e.g. `"13s"`. */
  retryDelay?: string;
  /** `QuotaFailure.violations[].quotaId`. */
  quotaIds: string[];
}

/** google.rpc codes as the API sends them (WIRE §4.5); the HTTP status is the fallback. */
const KIND_BY_STATUS: Readonly<Record<string, ProviderErrorKind>> = {
  INVALID_ARGUMENT: "bad_request",
  OUT_OF_RANGE: "bad_request",
  ALREADY_EXISTS: "bad_request",
  UNIMPLEMENTED: "bad_request",
  // Region not served, billing not enabled: this deployment cannot work, another may.
  FAILED_PRECONDITION: "auth",
  UNAUTHENTICATED: "auth",
  // A missing key is 403 PERMISSION_DENIED (WIRE §10.3).
  PERMISSION_DENIED: "auth",
  NOT_FOUND: "not_found",
  RESOURCE_EXHAUSTED: "rate_limit",
  INTERNAL: "server",
  UNKNOWN: "server",
  ABORTED: "server",
  DATA_LOSS: "server",
  CANCELLED: "server",
  UNAVAILABLE: "overloaded",
  DEADLINE_EXCEEDED: "timeout",
};

// "The input token count (N) exceeds the maximum number of tokens allowed (M)."
const CONTEXT_WINDOW_MESSAGE = /input token count.*exceeds|exceeds the maximum number of tokens|context (window|length)/i;
// Daily quotas do not come back within a retry budget; per-minute ones do.
const DAILY_QUOTA = /PerDay/i;

const isRecord = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

const readDetails = (details: unknown, fields: StatusFields): void => {
  if (!Array.isArray(details)) return;
  for (const detail of details) {
    if (!isRecord(detail)) continue;
    const type = text(detail["@type"]) ?? "";
    if (type.endsWith("google.rpc.ErrorInfo")) {
      const reason = text(detail.reason);
      if (reason !== undefined) fields.reason = reason;
    } else if (type.endsWith("google.rpc.RetryInfo")) {
      const delay = text(detail.retryDelay);
      if (delay !== undefined) fields.retryDelay = delay;
    } else if (type.endsWith("google.rpc.QuotaFailure") && Array.isArray(detail.violations)) {
      for (const violation of detail.violations) {
        const quotaId = isRecord(violation) ? text(violation.quotaId) : undefined;
        if (quotaId !== undefined) fields.quotaIds.push(quotaId);
      }
    }
  }
};

/** `{"error":{code,message,status,details}}`, possibly inside a list (the non-SSE stream endpoint). */
const readStatusFields = (body: unknown): StatusFields => {
  const fields: StatusFields = { quotaIds: [] };
  const root = Array.isArray(body) ? (body[0] as unknown) : body;
  if (!isRecord(root)) return fields;
  const error = root.error;
  if (typeof error === "string") {
    fields.message = error;
    return fields;
  }
  if (!isRecord(error)) return fields;
  if (typeof error.code === "number") fields.code = error.code;
  const message = text(error.message);
  if (message !== undefined) fields.message = message;
  const status = text(error.status);
  if (status !== undefined) fields.status = status;
  readDetails(error.details, fields);
  return fields;
};

const STATUS_KINDS = { 409: "server", 504: "timeout" } as const;

const classify = (httpStatus: number | undefined, fields: StatusFields): ProviderErrorKind => {
  if (fields.reason?.startsWith("API_KEY_")) return "auth";
  const status = httpStatus ?? fields.code;
  let kind: ProviderErrorKind | undefined = fields.status !== undefined ? KIND_BY_STATUS[fields.status] : undefined;
  // A status below 400 (a body `code` inside a stream) says nothing: the server failed.
  kind ??= status !== undefined && status >= 400 ? kindFromHttpStatus(status, STATUS_KINDS) : "server";
  if (kind === "rate_limit" && fields.quotaIds.some((id) => DAILY_QUOTA.test(id))) return "quota";
  if (kind === "bad_request" && fields.message !== undefined && CONTEXT_WINDOW_MESSAGE.test(fields.message)) return "context_window";
  return kind;
};

/**
 * A Gemini error (HTTP status, headers, google.rpc.Status body) as a ProviderError, per WIRE
 * §4.5/§8.4/§10.3. The body's `status` decides the kind, the HTTP status (or the body's `code`
 * inside a stream) when it names none. A bad key is `auth` although Gemini sends 400; a 429
 * against a per-day quota is `quota` (not retryable). The retry hint is the body's
 * `RetryInfo.retryDelay`, else a `retry-after` header. An unparsable body still classifies
 * by status and keeps a snippet of its text as the message.
 */
export function classifyGeminiError(input: GeminiErrorInput): ProviderError {
  const { provider, status, headers } = input;
  const body = parseErrorBody(input);
  const fields = readStatusFields(body);
  const kind = classify(status, fields);

  const message =
    fields.message !== undefined && fields.message !== ""
      ? fields.message
      : fallbackErrorMessage(status === undefined ? "error in stream" : `HTTP ${status}`, input.bodyText);

  // The body's RetryInfo wins over a header, and either may be fractional: Gemini's hint is rounded.
  let retryAfterMs = fields.retryDelay !== undefined ? parseGoDuration(fields.retryDelay) : undefined;
  if (retryAfterMs === undefined && headers !== undefined) retryAfterMs = parseRetryAfter(headers, input.now);
  const code = fields.reason ?? fields.status;
  return buildProviderError({
    kind,
    provider,
    message,
    status,
    code,
    ...(retryAfterMs !== undefined ? { retryAfterMs: Math.round(retryAfterMs) } : {}),
  });
}
