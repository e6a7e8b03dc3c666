import { GatewayError } from "../core/index.js";
import type { Attempt } from "./attempt.js";

/** Every planned attempt failed; keeps them all so callers can show and record each. */
export class AllDeploymentsFailedError extends GatewayError {
  override readonly name = "AllDeploymentsFailedError";
  readonly attempts: Attempt[];

  constructor(model: string, attempts: Attempt[], code: "ALL_DEPLOYMENTS_FAILED" | "TIMEOUT" | "CANCELLED" | "BAD_USER_INPUT" = "ALL_DEPLOYMENTS_FAILED") {
    const last = attempts[attempts.length - 1]?.error;
    const message =
      code === "TIMEOUT"
        ? `The call to "${model}" passed its deadline after ${attempts.length} attempt(s)`
        : code === "CANCELLED"
          ? `The call to "${model}" was cancelled`
          : code === "BAD_USER_INPUT"
            ? badRequestMessage(last)
            : `Every deployment for "${model}" failed (${attempts.length} attempt(s)); last error: ${last?.kind ?? "none"}: ${last?.message ?? ""}`;
    super(code, message, {
      attempts: attempts.map((attempt) => ({
        deployment: attempt.deployment.id,
        outcome: attempt.outcome,
        errorKind: attempt.error?.kind ?? null,
        latencyMs: attempt.latencyMs,
      })),
    });
    this.attempts = attempts;
  }

  static override isInstance(error: unknown): error is AllDeploymentsFailedError {
    return error instanceof AllDeploymentsFailedError;
  }
}

/** A provider's own 400 carries its HTTP status; a request the gateway could not put into the provider's wire format does not. */
function badRequestMessage(error: Attempt["error"]): string {
  if (error?.status === undefined) return `The request cannot be sent to ${error?.provider ?? "the provider"}: ${error?.message ?? "bad request"}`;
  return `The provider refused the request: ${error.message}`;
}
