import type { ProviderError, ProviderErrorKind } from "../../../core/index.js";
import { buildProviderError } from "../../http/build-provider-error.js";
import type { ClassifierInput } from "../../http/classifier-input.js";
import { fallbackErrorMessage } from "../../http/fallback-error-message.js";
import { kindFromHttpStatus } from "../../http/kind-from-http-status.js";
import { parseErrorBody } from "../../http/parse-error-body.js";
import { readHeader } from "../../http/read-header.js";

/** A Bedrock error: an HTTP error response, or an exception frame (its payload as `body`) inside a 200 stream. */
export interface BedrockErrorInput extends ClassifierInput {
  /** The exception name from elsewhere: a stream frame's `:exception-type` or `:error-code`. */
  errorType?: string;
}

/** Exception names (WIRE §5.4, plus the AWS-wide auth failures) and what the router makes of them. */
const KINDS: Readonly<Record<string, ProviderErrorKind>> = {
  ValidationException: "bad_request",
  AccessDeniedException: "auth",
  UnrecognizedClientException: "auth",
  InvalidSignatureException: "auth",
  IncompleteSignatureException: "auth",
  MissingAuthenticationTokenException: "auth",
  ExpiredTokenException: "auth",
  InvalidClientTokenId: "auth",
  ResourceNotFoundException: "not_found",
  ThrottlingException: "rate_limit",
  ServiceQuotaExceededException: "quota",
  ModelNotReadyException: "overloaded",
  ServiceUnavailableException: "overloaded",
  InternalServerException: "server",
  ModelErrorException: "server",
  ModelStreamErrorException: "server",
  ModelTimeoutException: "timeout",
};

// Bedrock says "Input is too long for requested model."; the models behind it word it their own way.
const CONTEXT_WINDOW_MESSAGE =
  /input is too long|too long for (the )?requested model|prompt is too long|maximum context length|context window|context length|too many input tokens/i;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null;

const asText = (value: unknown): string | undefined => (typeof value === "string" && value !== "" ? value : undefined);

/**
 * `ThrottlingException:http://internal.amazon.com/coral/…` (header), `com.amazon.coral.service#ExpiredTokenException`
 * (body `__type`) and `throttlingException` (stream frame) all name the same thing; AWS SDKs
 * keep the text before `:` and after `#`.
 */
const normaliseType = (raw: string | undefined): string | undefined => {
  if (raw === undefined) return undefined;
  let name = raw.split(":")[0] ?? "";
  const hash = name.lastIndexOf("#");
  if (hash !== -1) name = name.slice(hash + 1);
  name = name.trim();
  return name === "" ? undefined : name.charAt(0).toUpperCase() + name.slice(1);
};

// 424 is Bedrock's failed dependency: the model behind it failed.
const STATUS_KINDS = { 424: "server" } as const;

/**
 * A Bedrock error (HTTP status, `x-amzn-ErrorType`, `{"message":…}` body, or a stream's
 * exception frame) as a ProviderError, per WIRE §5.4/§8.4. The exception name decides the kind,
 * read as AWS SDKs do: header first, then body `code`, then `__type`; without one the status
 * decides. A ValidationException about over-long input is a `context_window`.
 */
export function classifyBedrockError(input: BedrockErrorInput): ProviderError {
  const { provider, status, headers } = input;
  const body = parseErrorBody(input);
  const fields: Json = isObject(body) ? body : {};
  const type = normaliseType(
    (headers !== undefined ? readHeader(headers, "x-amzn-errortype") : undefined) ??
      asText(fields.code) ??
      asText(fields.__type) ??
      input.errorType,
  );

  const bodyMessage = asText(fields.message) ?? asText(fields.Message) ?? asText(fields.originalMessage);
  let kind: ProviderErrorKind = (type !== undefined ? KINDS[type] : undefined) ?? (status !== undefined ? kindFromHttpStatus(status, STATUS_KINDS) : "server");
  if (kind === "bad_request" && bodyMessage !== undefined && CONTEXT_WINDOW_MESSAGE.test(bodyMessage)) kind = "context_window";

  const message =
    bodyMessage ?? fallbackErrorMessage(status !== undefined ? `HTTP ${status}` : (type ?? "error in stream"), input.bodyText);
  return buildProviderError({ kind, provider, message, status, code: type, headers, now: input.now });
}
