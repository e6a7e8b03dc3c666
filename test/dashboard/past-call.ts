import type { CallRecord } from "../../src/core/index.js";
import { makeCallRecord } from "../db/make-call-record.js";

/** A finished call logged `minutesAgo` in the past, so the charts get several time buckets. */
export function pastCall(input: { minutesAgo: number; modelGroup: string; deployment: string; costPico: bigint; error?: boolean }): CallRecord {
  return makeCallRecord({
    createdAt: new Date(Date.now() - input.minutesAgo * 60_000),
    requestedModel: input.modelGroup,
    modelGroup: input.modelGroup,
    provider: "simulator",
    deployment: input.deployment,
    status: input.error ? "ERROR" : "SUCCESS",
    errorKind: input.error ? "server" : null,
    errorMessage: input.error ? "simulated" : null,
    finishReason: input.error ? null : "stop",
    costPico: input.costPico,
    latencyMs: 40,
    attempts: [],
    attemptCount: 1,
  });
}
