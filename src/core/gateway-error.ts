/**
 * Errors the gateway itself raises towards clients. One table (src/server/error-codes.ts)
 * maps each `code` to a GraphQL `extensions.code` and an HTTP status.
 */
export type GatewayErrorCode =
  | "BAD_USER_INPUT"
  | "MODEL_NOT_FOUND"
  /** A record the request names (a call id) does not exist, or is not the caller's to see. */
  | "NOT_FOUND"
  | "ALL_DEPLOYMENTS_FAILED"
  | "TIMEOUT"
  | "CANCELLED"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "BUDGET_EXCEEDED"
  | "RATE_LIMITED"
  /** A service the gateway depends on for every governed call (the shared state store) does not answer; retry later. */
  | "UNAVAILABLE"
  | "INTERNAL";

export class GatewayError extends Error {
  override readonly name: string = "GatewayError";
  readonly code: GatewayErrorCode;
  /** Extra, client-safe fields carried to `extensions` (never secrets). */
  readonly details: Record<string, unknown>;

  constructor(code: GatewayErrorCode, message: string, details: Record<string, unknown> = {}, cause?: unknown) {
    super(message, { cause });
    this.code = code;
    this.details = details;
  }

  static isInstance(error: unknown): error is GatewayError {
    return error instanceof GatewayError;
  }
}

export const badInput = (message: string, details: Record<string, unknown> = {}) =>
  new GatewayError("BAD_USER_INPUT", message, details);

export const modelNotFound = (model: string) =>
  new GatewayError("MODEL_NOT_FOUND", `Unknown model "${model}": it is neither a model group nor an alias`, { model });
