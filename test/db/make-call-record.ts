import { randomUUID } from "node:crypto";
import type { AttemptRecord, CallRecord } from "../../src/core/index.js";

export function makeAttempt(overrides: Partial<AttemptRecord> = {}): AttemptRecord {
  return {
    index: 0,
    modelGroup: "fast",
    deployment: "openai-mini",
    provider: "openai",
    providerModel: "gpt-4o-mini",
    outcome: "SUCCESS",
    errorKind: null,
    errorMessage: null,
    httpStatus: 200,
    startedAt: new Date("2025-03-01T10:00:00.000Z"),
    latencyMs: 120.5,
    hedged: false,
    promptTokens: 10,
    completionTokens: 20,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    costPico: 150_000n,
    ...overrides,
  };
}

/** A successful call with one attempt unless overridden. */
export function makeCallRecord(overrides: Partial<CallRecord> = {}): CallRecord {
  const id = overrides.id ?? randomUUID();
  const attempts = overrides.attempts ?? [makeAttempt()];
  return {
    id,
    createdAt: new Date("2025-03-01T10:00:00.000Z"),
    requestedModel: "gpt-4o-mini",
    modelGroup: "fast",
    provider: "openai",
    deployment: "openai-mini",
    providerModel: "gpt-4o-mini",
    status: "SUCCESS",
    errorKind: null,
    errorMessage: null,
    finishReason: "stop",
    streamed: false,
    promptTokens: 10,
    completionTokens: 20,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
    costPico: 150_000n,
    latencyMs: 130.25,
    ttftMs: null,
    attemptCount: attempts.length,
    keyId: null,
    teamId: null,
    endUser: null,
    metadata: null,
    ...overrides,
    attempts,
  };
}

/** A deterministic pseudo-random source so failures reproduce. */
/** Metadata nested `depth` levels: JSON.stringify overflows the stack long before 5,000. */
export function deepMetadata(depth: number): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  let node = root;
  for (let i = 0; i < depth; i++) node = (node.a = {}) as Record<string, unknown>;
  return root;
}

export { createSeededRandom as seededRandom } from "../../src/core/create-seeded-random.js";
