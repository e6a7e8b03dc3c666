import type { AttemptRecord } from "../../core/index.js";
import { picoToUsd } from "./pico-to-usd.js";
import { AttemptView } from "./attempt.type.js";
import type { AttemptOutcome } from "./enums.js";

export function toAttemptView(attempt: AttemptRecord): AttemptView {
  return Object.assign(new AttemptView(), {
    index: attempt.index,
    modelGroup: attempt.modelGroup,
    deployment: attempt.deployment,
    provider: attempt.provider,
    providerModel: attempt.providerModel,
    outcome: attempt.outcome as AttemptOutcome,
    errorClass: attempt.errorKind,
    errorMessage: attempt.errorMessage,
    httpStatus: attempt.httpStatus,
    startedAt: attempt.startedAt,
    latencyMs: attempt.latencyMs,
    hedged: attempt.hedged,
    costUsd: picoToUsd(attempt.costPico),
  });
}
