import { GatewayError, type GatewayErrorCode } from "./gateway-error.js";
import { ProviderError } from "./provider-error.js";

export type ClientErrorCode = GatewayErrorCode | "UPSTREAM_ERROR";

/** The one table from error code to HTTP status; GraphQL uses the code as `extensions.code`. */
export const HTTP_STATUS: Readonly<Record<ClientErrorCode, number>> = {
  BAD_USER_INPUT: 400,
  MODEL_NOT_FOUND: 404,
  NOT_FOUND: 404,
  ALL_DEPLOYMENTS_FAILED: 502,
  UPSTREAM_ERROR: 502,
  TIMEOUT: 504,
  CANCELLED: 499,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BUDGET_EXCEEDED: 402,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export interface ClientError {
  code: ClientErrorCode;
  httpStatus: number;
  message: string;
  /** Client-safe extra fields (never secrets, never stack traces). */
  details: Record<string, unknown>;
}

/** Any thrown value → what a client may see. Unknown errors become INTERNAL with a generic message. */
export function describeError(error: unknown): ClientError {
  if (GatewayError.isInstance(error)) {
    return { code: error.code, httpStatus: HTTP_STATUS[error.code], message: error.message, details: error.details };
  }
  if (ProviderError.isInstance(error)) {
    const code: ClientErrorCode = error.kind === "timeout" ? "TIMEOUT" : "UPSTREAM_ERROR";
    return {
      code,
      httpStatus: HTTP_STATUS[code],
      message: `${error.provider} failed: ${error.message}`,
      details: { errorKind: error.kind, ...(error.status ? { upstreamStatus: error.status } : {}) },
    };
  }
  return { code: "INTERNAL", httpStatus: 500, message: "Internal error", details: {} };
}
