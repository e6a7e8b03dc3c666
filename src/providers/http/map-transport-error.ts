import { ProviderError, type ProviderErrorKind } from "../../core/index.js";

/** Network-level failures: another attempt, on a fresh socket or another deployment, may work. */
const CONNECTION_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
  "UND_ERR_DESTROYED",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_RES_CONTENT_LENGTH_MISMATCH",
  "UND_ERR_REQ_CONTENT_LENGTH_MISMATCH",
]);

const TIMEOUT_CODES: ReadonlySet<string> = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);

const errorCode = (error: unknown): string | undefined => {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
};

const kindOf = (error: unknown, code: string | undefined): ProviderErrorKind => {
  if (code !== undefined) {
    if (TIMEOUT_CODES.has(code)) return "timeout";
    if (CONNECTION_CODES.has(code)) return "connection";
    if (code === "UND_ERR_ABORTED" || code === "UND_ERR_ABORT" || code === "ABORT_ERR") return "cancelled";
    // The bytes on the wire were not HTTP (llhttp's HPE_* codes) or the headers were absurd.
    if (code.startsWith("HPE_") || code === "UND_ERR_HEADERS_OVERFLOW" || code === "UND_ERR_RES_EXCEEDED_MAX_SIZE") {
      return "invalid_response";
    }
  }
  if (error instanceof Error && error.name === "AbortError") return "cancelled";
  return "connection";
};

// Node reports a failed multi-address connect as an AggregateError with an empty message.
const describe = (error: unknown): string => {
  if (error instanceof AggregateError && error.message === "" && error.errors[0] instanceof Error) {
    return error.errors[0].message;
  }
  return error instanceof Error && error.message !== "" ? error.message : String(error);
};

/**
 * Maps what undici or the socket threw into a ProviderError. ProviderErrors pass through
 * unchanged: the HTTP client aborts requests with them, so our own timeout and the caller's
 * cancellation arrive here already classified.
 */
export function mapTransportError(error: unknown, provider: string): ProviderError {
  if (ProviderError.isInstance(error)) return error;
  const code = errorCode(error);
  const kind = kindOf(error, code);
  const detail = describe(error);
  return new ProviderError({
    kind,
    provider,
    message: code !== undefined && !detail.includes(code) ? `${detail} (${code})` : detail,
    ...(code !== undefined ? { code } : {}),
    cause: error,
  });
}
