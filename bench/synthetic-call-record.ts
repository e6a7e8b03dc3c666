import { randomUUID } from "node:crypto";
import type { AttemptRecord, CallRecord } from "../src/core/index.js";

/**
 * Call number `i` as the gateway records it, created at `createdAtMs`: every third call has a
 * failed first attempt (rate limited) and a second one that succeeds; 16 keys, 4 teams, 100 end users.
 */
export function syntheticCall(i: number, createdAtMs: number): CallRecord {
  const createdAt = new Date(createdAtMs);
  const attemptCount = i % 3 === 0 ? 2 : 1;
  const attempts: AttemptRecord[] = Array.from({ length: attemptCount }, (_, index) => {
    const failed = index < attemptCount - 1;
    return {
      index,
      modelGroup: "fast",
      deployment: index === 0 ? "openai-mini" : "azure-mini",
      provider: index === 0 ? "openai" : "azure",
      providerModel: "gpt-4o-mini",
      outcome: failed ? "ERROR" : "SUCCESS",
      errorKind: failed ? "rate_limit" : null,
      errorMessage: failed ? "429 Too Many Requests" : null,
      httpStatus: failed ? 429 : 200,
      startedAt: createdAt,
      latencyMs: 80 + (i % 400),
      hedged: false,
      promptTokens: failed ? 0 : 200 + (i % 50),
      completionTokens: failed ? 0 : 40 + (i % 30),
      cachedTokens: 0,
      cacheWriteTokens: 0,
      costPico: failed ? 0n : 150_000n * BigInt(200 + (i % 50)) + 600_000n * BigInt(40 + (i % 30)),
    };
  });
  const last = attempts[attempts.length - 1]!;
  return {
    id: randomUUID(),
    createdAt,
    requestedModel: "gpt-4o-mini",
    modelGroup: "fast",
    provider: last.provider,
    deployment: last.deployment,
    providerModel: last.providerModel,
    status: "SUCCESS",
    errorKind: null,
    errorMessage: null,
    finishReason: "stop",
    streamed: i % 2 === 0,
    promptTokens: last.promptTokens,
    completionTokens: last.completionTokens,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costPico: attempts.reduce((sum, a) => sum + a.costPico, 0n),
    latencyMs: attempts.reduce((sum, a) => sum + a.latencyMs, 0),
    ttftMs: i % 2 === 0 ? 35 : null,
    attemptCount,
    keyId: `key-${i % 16}`,
    teamId: `team-${i % 4}`,
    endUser: `user-${i % 100}`,
    metadata: { bench: true },
    attempts,
  };
}
