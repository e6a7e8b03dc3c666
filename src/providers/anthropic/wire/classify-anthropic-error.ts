import type { ProviderError, ProviderErrorKind } from "../../../core/index.js";
import { buildProviderError } from "../../http/build-provider-error.js";
import type { ClassifierInput } from "../../http/classifier-input.js";
import { fallbackErrorMessage } from "../../http/fallback-error-message.js";
import { kindFromHttpStatus } from "../../http/kind-from-http-status.js";
import { parseErrorBody } from "../../http/parse-error-body.js";

/** An Anthropic error: an HTTP error response (a proxy may send HTML), or an `event: error` inside a 200 stream. */
export type AnthropicErrorInput = ClassifierInput;

interface ErrorFields {
  type?: string;
  message?: string;
}

// Anthropic has no code for these: a 400 `invalid_request_error` whose message says so is all there is.
const CONTEXT_WINDOW_MESSAGE = /prompt is too long|context window|context length|too many (input )?tokens/i;
const QUOTA_MESSAGE = /credit balance is too low/i;
const CONTENT_POLICY_MESSAGE = /content filtering policy/i;

/** Error types as the kind they mean, for stream errors (no status) and types that beat the status. */
const KIND_BY_TYPE: Readonly<Record<string, ProviderErrorKind>> = {
  invalid_request_error: "bad_request",
  request_too_large: "bad_request",
  authentication_error: "auth",
  permission_error: "auth",
  not_found_error: "not_found",
  rate_limit_error: "rate_limit",
  billing_error: "quota",
  timeout_error: "timeout",
  api_error: "server",
  overloaded_error: "overloaded",
};

const asText = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** `{"type":"error","error":{"type","message"}}`; a bare `{"error":"…"}` or `{"message":…}` from a proxy is read too. */
const readErrorFields = (body: unknown): ErrorFields => {
  if (typeof body !== "object" || body === null) return {};
  const record = body as Record<string, unknown>;
  const error = record.error;
  if (typeof error === "string") return { message: error };
  const source = typeof error === "object" && error !== null ? (error as Record<string, unknown>) : record;
  const fields: ErrorFields = {};
  const type = asText(source.type);
  const message = asText(source.message);
  // The envelope's own `type` is "error": it says nothing about the kind.
  if (type !== undefined && type !== "error") fields.type = type;
  if (message !== undefined) fields.message = message;
  return fields;
};

// 402 is out of credits; 529 is Anthropic's overloaded; a 409 conflict is the server's.
const STATUS_KINDS = { 402: "quota", 409: "server", 504: "timeout", 529: "overloaded" } as const;

const classify = (status: number | undefined, { type, message = "" }: ErrorFields): ProviderErrorKind => {
  if (type === "billing_error") return "quota";
  const requestLevel = status === undefined || status === 400 || status === 413;
  if (requestLevel && (type === undefined || type === "invalid_request_error")) {
    if (CONTEXT_WINDOW_MESSAGE.test(message)) return "context_window";
    if (QUOTA_MESSAGE.test(message)) return "quota";
    if (CONTENT_POLICY_MESSAGE.test(message)) return "content_policy";
  }
  if (status !== undefined) return kindFromHttpStatus(status, STATUS_KINDS);
  return (type !== undefined ? KIND_BY_TYPE[type] : undefined) ?? "server";
};

/**
 * An Anthropic error (HTTP status, headers, body — WIRE §3.5/§8.4) as a ProviderError. The
 * status decides the kind; the error `type` stands in for it inside a stream. An unparsable body
 * (Cloudflare's 413 page) still classifies by status and keeps a snippet as the message.
 * `retry-after(-ms)` gives retryAfterMs and `x-should-retry` overrides retryability, as
 * Anthropic's SDK honours both.
 */
export function classifyAnthropicError(input: AnthropicErrorInput): ProviderError {
  const { provider, status, headers } = input;
  const body = parseErrorBody(input);
  const fields = readErrorFields(body);
  const kind = classify(status, fields);

  const message =
    fields.message !== undefined && fields.message !== ""
      ? fields.message
      : fallbackErrorMessage(status === undefined ? "error event in stream" : `HTTP ${status}`, input.bodyText, fields.type);
  return buildProviderError({
    kind,
    provider,
    message,
    status,
    code: fields.type,
    headers,
    now: input.now,
    honourShouldRetry: true,
  });
}
