import { randomUUID } from "node:crypto";
import type { CallRecord } from "../../src/core/index.js";

export interface CallSpec {
  at: Date;
  deployment: "sim-fast" | "sim-smart";
  keyId?: string | null;
  teamId?: string | null;
  promptTokens: number;
  completionTokens: number;
  cachedTokens?: number;
  reasoningTokens?: number;
  costPico: bigint;
  status?: "SUCCESS" | "ERROR";
  latencyMs?: number;
  attempts?: number;
}

const deployments = {
  "sim-fast": { modelGroup: "fast", providerModel: "gpt-4o-mini" },
  "sim-smart": { modelGroup: "smart", providerModel: "gpt-4o" },
} as const;

/** A persisted call as the gateway would record it, with known tokens and cost. */
export function callRecord(spec: CallSpec): CallRecord {
  const { modelGroup, providerModel } = deployments[spec.deployment];
  const status = spec.status ?? "SUCCESS";
  const attemptCount = spec.attempts ?? 1;
  return {
    id: randomUUID(),
    createdAt: spec.at,
    requestedModel: modelGroup,
    modelGroup,
    provider: "simulator",
    deployment: spec.deployment,
    providerModel,
    status,
    errorKind: status === "ERROR" ? "server" : null,
    errorMessage: status === "ERROR" ? "boom" : null,
    finishReason: status === "ERROR" ? null : "stop",
    streamed: false,
    promptTokens: spec.promptTokens,
    completionTokens: spec.completionTokens,
    cachedTokens: spec.cachedTokens ?? 0,
    cacheWriteTokens: 0,
    reasoningTokens: spec.reasoningTokens ?? 0,
    costPico: spec.costPico,
    latencyMs: spec.latencyMs ?? 100,
    ttftMs: null,
    attemptCount,
    keyId: spec.keyId ?? null,
    teamId: spec.teamId ?? null,
    endUser: null,
    metadata: null,
    attempts: Array.from({ length: attemptCount }, (_, index) => ({
      index,
      modelGroup,
      deployment: spec.deployment,
      provider: "simulator",
      providerModel,
      outcome: index === attemptCount - 1 ? status : "ERROR",
      errorKind: index === attemptCount - 1 && status === "SUCCESS" ? null : "server",
      errorMessage: null,
      httpStatus: null,
      startedAt: spec.at,
      latencyMs: spec.latencyMs ?? 100,
      hedged: false,
      promptTokens: index === attemptCount - 1 ? spec.promptTokens : 0,
      completionTokens: index === attemptCount - 1 ? spec.completionTokens : 0,
      cachedTokens: 0,
      cacheWriteTokens: 0,
      costPico: index === attemptCount - 1 ? spec.costPico : 0n,
    })),
  };
}
