/** What went wrong with one provider call, in the few kinds the router acts on. */
export type ProviderErrorKind =
  | "rate_limit"
  | "quota"
  | "overloaded"
  | "server"
  | "timeout"
  | "connection"
  | "context_window"
  | "content_policy"
  | "auth"
  | "bad_request"
  | "not_found"
  | "invalid_response"
  | "cancelled";

const RETRYABLE: ReadonlySet<ProviderErrorKind> = new Set([
  "rate_limit",
  "overloaded",
  "server",
  "timeout",
  "connection",
  "invalid_response",
]);

/**
 * The `code` of a `connection` error raised because our own connection pool to the provider stayed
 * full: nothing was sent, so it says nothing about the deployment's health.
 */
export const CONNECTION_WAIT_CODE = "SWITCHYARD_CONNECTION_WAIT";

export interface ProviderErrorOptions {
  kind: ProviderErrorKind;
  message: string;
  provider: string;
  status?: number;
  /** The provider's own error code or type (`rate_limit_exceeded`, `overloaded_error`, …). */
  code?: string;
  retryAfterMs?: number;
  /** Overrides the kind's default, e.g. when the provider says `x-should-retry: false`. */
  retryable?: boolean;
  cause?: unknown;
}

export class ProviderError extends Error {
  override readonly name = "ProviderError";
  readonly kind: ProviderErrorKind;
  readonly provider: string;
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly retryAfterMs: number | undefined;
  /** Whether another attempt (here or elsewhere) may succeed. */
  readonly retryable: boolean;

  constructor(options: ProviderErrorOptions) {
    super(options.message, { cause: options.cause });
    this.kind = options.kind;
    this.provider = options.provider;
    this.status = options.status;
    this.code = options.code;
    this.retryAfterMs = options.retryAfterMs;
    this.retryable = options.retryable ?? RETRYABLE.has(options.kind);
  }

  static isInstance(error: unknown): error is ProviderError {
    return error instanceof ProviderError;
  }
}
