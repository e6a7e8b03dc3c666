import type { ProviderError, ProviderErrorKind } from "../../../core/index.js";
import { buildProviderError } from "../../http/build-provider-error.js";
import type { ClassifierInput } from "../../http/classifier-input.js";
import { fallbackErrorMessage } from "../../http/fallback-error-message.js";
import { kindFromHttpStatus } from "../../http/kind-from-http-status.js";
import { parseErrorBody } from "../../http/parse-error-body.js";

/** An OpenAI-style error: an HTTP error response, or an error object sent inside a 200 stream. */
export type OpenAIErrorInput = ClassifierInput;

interface ErrorFields {
  message?: string;
  type?: string;
  code?: string;
}

// OpenAI-compatible servers (vLLM, llama.cpp, Azure) often send no code: their messages are all there is.
const CONTEXT_WINDOW_MESSAGE = /maximum context length|context[_ ]length[_ ]exceeded|context window|prompt is too long|exceeds the available context size/i;
const CONTENT_POLICY_MESSAGE = /content[_ ](management[_ ])?polic|content[_ ]filter|safety system/i;
// OpenRouter refuses flagged input with a 403 whose message says so.
const MODERATION_MESSAGE = /requires moderation|input was flagged/i;
const CONTENT_POLICY_CODES: ReadonlySet<string> = new Set(["content_filter", "content_policy_violation"]);

const HTTP_STATUS_CODE = /^[45]\d\d$/;

const asText = (value: unknown): string | undefined =>
  typeof value === "string" ? value : typeof value === "number" ? String(value) : undefined;

/** `{"error":{message,type,code}}`, `{"error":"…"}`, `{"message":…}`, `{"detail":…}`, or a list of those. */
const readErrorFields = (body: unknown): ErrorFields => {
  if (Array.isArray(body)) return readErrorFields(body[0]);
  if (typeof body !== "object" || body === null) return {};
  const record = body as Record<string, unknown>;
  const error = record.error;
  if (typeof error === "string") return { message: error };
  if (typeof error === "object" && error !== null) {
    const inner = error as Record<string, unknown>;
    const fields: ErrorFields = {};
    const message = asText(inner.message);
    const type = asText(inner.type);
    const code = asText(inner.code);
    if (message !== undefined) fields.message = message;
    if (type !== undefined) fields.type = type;
    if (code !== undefined) fields.code = code;
    return fields;
  }
  const message = asText(record.message) ?? asText(record.detail);
  return message !== undefined ? { message } : {};
};

// Payment required: out of credits (OpenRouter), like OpenAI's insufficient_quota; 529 as Anthropic-style proxies send it.
const STATUS_KINDS = { 402: "quota", 409: "server", 529: "overloaded" } as const;

const kindFromStatus = (status: number): ProviderErrorKind => kindFromHttpStatus(status, STATUS_KINDS);

/** Errors inside a 200 stream carry no status; their `type`/`code` stand in for it. */
const kindFromFields = ({ type, code }: ErrorFields): ProviderErrorKind => {
  // OpenRouter, vLLM and llama.cpp put the HTTP status they would have sent in `code`.
  if (code !== undefined && HTTP_STATUS_CODE.test(code)) return kindFromStatus(Number(code));
  if (code === "rate_limit_exceeded" || type === "rate_limit_exceeded" || type === "tokens" || type === "requests") {
    return "rate_limit";
  }
  if (code === "invalid_api_key" || type === "authentication_error") return "auth";
  if (code === "model_not_found") return "not_found";
  if (type === "invalid_request_error") return "bad_request";
  return "server";
};

const classify = (status: number | undefined, fields: ErrorFields): ProviderErrorKind => {
  const { type, code, message = "" } = fields;
  if (code === "insufficient_quota" || type === "insufficient_quota") return "quota";
  const requestLevel = status === undefined || status === 400 || status === 413 || status === 422;
  if (requestLevel) {
    if (code === "context_length_exceeded" || type === "exceed_context_size_error" || CONTEXT_WINDOW_MESSAGE.test(message)) {
      return "context_window";
    }
    if ((code !== undefined && CONTENT_POLICY_CODES.has(code)) || type === "content_filter") return "content_policy";
    if (CONTENT_POLICY_MESSAGE.test(message)) return "content_policy";
  }
  const httpStatus = status ?? (code !== undefined && HTTP_STATUS_CODE.test(code) ? Number(code) : undefined);
  if (httpStatus === 403 && MODERATION_MESSAGE.test(message)) return "content_policy";
  return status === undefined ? kindFromFields(fields) : kindFromStatus(status);
};

/**
 * An OpenAI-style error (HTTP status, headers, body) as a ProviderError, per WIRE §1.6/§8.4.
 * An unparsable body still classifies by status and keeps a snippet of its text as the message.
 * `x-should-retry: true|false` overrides the kind's retryability, as OpenAI's SDK honours it.
 */
export function classifyOpenAIError(input: OpenAIErrorInput): ProviderError {
  const { provider, status, headers } = input;
  const body = parseErrorBody(input);
  const fields = readErrorFields(body);
  const kind = classify(status, fields);

  const message =
    fields.message !== undefined && fields.message !== ""
      ? fields.message
      : fallbackErrorMessage(status === undefined ? "error event in stream" : `HTTP ${status}`, input.bodyText);
  const code = fields.code ?? fields.type;
  return buildProviderError({ kind, provider, message, status, code, headers, now: input.now, honourShouldRetry: true });
}
