import { randomUUID } from "node:crypto";
import type { CallRecord } from "../../src/core/index.js";

/** A finished call logged `minutesAgo` in the past, so the charts get several time buckets. */
export function pastCall(input: { minutesAgo: number; modelGroup: string; deployment: string; costPico: bigint; error?: boolean }): CallRecord {
  return {
    id: randomUUID(),
    createdAt: new Date(Date.now() - input.minutesAgo * 60_000),
    requestedModel: input.modelGroup,
    modelGroup: input.modelGroup,
    provider: "simulator",
    deployment: input.deployment,
    providerModel: "gpt-4o-mini",
    status: input.error ? "ERROR" : "SUCCESS",
    errorKind: input.error ? "server" : null,
    errorMessage: input.error ? "simulated" : null,
    finishReason: input.error ? null : "stop",
    streamed: false,
    promptTokens: 10,
    completionTokens: 20,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costPico: input.costPico,
    latencyMs: 40,
    ttftMs: null,
    attemptCount: 1,
    keyId: null,
    teamId: null,
    endUser: null,
    metadata: null,
    attempts: [],
  };
}
