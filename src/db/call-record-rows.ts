import type { AttemptRecord, CallRecord } from "../core/index.js";
import { picoToUsd } from "./pico-to-usd.js";
import type { callAttempts, calls } from "./schema/index.js";

export type CallInsertRow = typeof calls.$inferInsert;
export type AttemptInsertRow = typeof callAttempts.$inferInsert;

/** A call record as its `calls` row (attempts go to `call_attempts`). */
export function toCallRow(call: CallRecord): CallInsertRow {
  return {
    id: call.id,
    createdAt: call.createdAt,
    requestedModel: call.requestedModel,
    modelGroup: call.modelGroup,
    provider: call.provider,
    deployment: call.deployment,
    providerModel: call.providerModel,
    status: call.status,
    errorKind: call.errorKind,
    errorMessage: call.errorMessage,
    finishReason: call.finishReason,
    streamed: call.streamed,
    promptTokens: call.promptTokens,
    completionTokens: call.completionTokens,
    cachedTokens: call.cachedTokens,
    reasoningTokens: call.reasoningTokens,
    costUsd: picoToUsd(call.costPico),
    latencyMs: call.latencyMs,
    ttftMs: call.ttftMs,
    attemptCount: call.attemptCount,
    keyId: call.keyId,
    teamId: call.teamId,
    endUser: call.endUser,
    metadata: call.metadata,
  };
}

export function toAttemptRow(callId: string, attempt: AttemptRecord): AttemptInsertRow {
  return {
    callId,
    attemptIndex: attempt.index,
    modelGroup: attempt.modelGroup,
    deployment: attempt.deployment,
    provider: attempt.provider,
    providerModel: attempt.providerModel,
    outcome: attempt.outcome,
    errorKind: attempt.errorKind,
    errorMessage: attempt.errorMessage,
    httpStatus: attempt.httpStatus,
    startedAt: attempt.startedAt,
    latencyMs: attempt.latencyMs,
    hedged: attempt.hedged,
    promptTokens: attempt.promptTokens,
    completionTokens: attempt.completionTokens,
    cachedTokens: attempt.cachedTokens,
    costUsd: picoToUsd(attempt.costPico),
  };
}
