import type { CallRecord, Usage } from "../core/index.js";
import type { EscalatedAnswer } from "../routing/index.js";
import type { PriceUsage } from "./completion-types.js";
import { toAttemptRecords } from "./to-attempt-records.js";

/**
 * The call row of a cascade answer that failed its checks: a successful call of its own (it was
 * answered and paid for), with the same caller and request as the call that escalated from it.
 */
export function escalatedCallRecord(call: CallRecord, answer: EscalatedAnswer, id: string, usage: Usage, price: PriceUsage): CallRecord {
  const attempts = toAttemptRecords(answer.attempts, price, usage);
  return {
    ...call,
    id,
    createdAt: answer.attempts[0]?.startedAt ?? call.createdAt,
    modelGroup: answer.group.name,
    provider: answer.deployment.provider,
    deployment: answer.deployment.id,
    providerModel: answer.model,
    status: "SUCCESS",
    errorKind: null,
    errorMessage: null,
    finishReason: answer.finish.unified,
    streamed: answer.streamed,
    promptTokens: usage.inputTokens,
    completionTokens: usage.outputTokens,
    cachedTokens: usage.cachedInputTokens,
    cacheWriteTokens: usage.cacheWriteTokens,
    reasoningTokens: usage.reasoningTokens,
    costPico: attempts.reduce((sum, a) => sum + a.costPico, 0n),
    latencyMs: answer.latencyMs,
    ttftMs: answer.ttftMs,
    attemptCount: attempts.length,
    routing: answer.decision,
    escalatedFrom: call.escalatedFrom ?? null,
    unpriced: answer.attempts.some((a) => a.deployment.unpriced === true),
    attempts,
  };
}
