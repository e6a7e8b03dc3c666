import { GatewayError } from "../core/index.js";

/** How long a client is told to wait: the store's client reconnects on its own within a few seconds. */
const RETRY_AFTER_MS = 1_000;

/**
 * The shared state store (Redis) did not answer or refused a command, at start or during a call.
 * Clients see `UNAVAILABLE` (HTTP 503) with a generic message and `retryAfterMs`; the store's own
 * error (which may name hosts) stays in `cause` and `operation` for the logs.
 */
export class StateStoreError extends GatewayError {
  override readonly name: string = "StateStoreError";
  /** The StateStore method, or "connect", that failed. */
  readonly operation: string;

  constructor(operation: string, message: string, cause?: unknown) {
    super("UNAVAILABLE", message, { retryAfterMs: RETRY_AFTER_MS }, cause);
    this.operation = operation;
  }

  static override isInstance(error: unknown): error is StateStoreError {
    return error instanceof StateStoreError;
  }
}
