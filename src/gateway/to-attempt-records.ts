import type { AttemptRecord, Usage } from "../core/index.js";
import type { Attempt } from "../routing/index.js";
import type { PriceUsage } from "./completion-types.js";

/** Router attempts → persisted attempt rows, each priced by what it consumed. */
export function toAttemptRecords(attempts: readonly Attempt[], price: PriceUsage, finalUsage?: Usage): AttemptRecord[] {
  return attempts.map((attempt, i) => {
    const usage = attempt.usage ?? (i === attempts.length - 1 && attempt.outcome !== "ERROR" ? finalUsage : undefined);
    return {
      index: attempt.index,
      modelGroup: attempt.group,
      deployment: attempt.deployment.id,
      provider: attempt.deployment.provider,
      providerModel: attempt.deployment.model,
      outcome: attempt.outcome,
      errorKind: attempt.error?.kind ?? null,
      errorMessage: attempt.error?.message ?? null,
      httpStatus: attempt.error?.status ?? null,
      startedAt: attempt.startedAt,
      latencyMs: attempt.latencyMs,
      hedged: attempt.hedged,
      promptTokens: usage?.inputTokens ?? 0,
      completionTokens: usage?.outputTokens ?? 0,
      cachedTokens: usage?.cachedInputTokens ?? 0,
      cacheWriteTokens: usage?.cacheWriteTokens ?? 0,
      costPico: usage ? price(attempt.deployment.id, usage) : 0n,
    };
  });
}
