import type { PgTable } from "drizzle-orm/pg-core";
import type { AttemptRecord, CallRecord } from "../core/index.js";
import { picoToUsd } from "./pico-to-usd.js";
import type { callAttempts, calls } from "./schema/index.js";

/** A row keyed by database column names: every column of the table, no other key. */
type JsonRow<T extends PgTable> = Record<T["_"]["columns"][keyof T["_"]["columns"]]["_"]["name"], unknown>;

export type CallJsonRow = JsonRow<typeof calls>;
export type AttemptJsonRow = JsonRow<typeof callAttempts>;

/**
 * A call record as its `calls` row, in the JSON shape `json_populate_recordset` reads:
 * dates as ISO strings, cost as the exact decimal string, metadata as a nested object.
 */
export function toCallJsonRow(call: CallRecord): CallJsonRow {
  return {
    id: call.id,
    created_at: call.createdAt.toISOString(),
    requested_model: call.requestedModel,
    model_group: call.modelGroup,
    provider: call.provider,
    deployment: call.deployment,
    provider_model: call.providerModel,
    status: call.status,
    error_kind: call.errorKind,
    error_message: call.errorMessage,
    finish_reason: call.finishReason,
    streamed: call.streamed,
    prompt_tokens: call.promptTokens,
    completion_tokens: call.completionTokens,
    cached_tokens: call.cachedTokens,
    // Absent in records spilled by an older version.
    cache_write_tokens: call.cacheWriteTokens ?? 0,
    reasoning_tokens: call.reasoningTokens,
    cost_usd: picoToUsd(call.costPico),
    latency_ms: call.latencyMs,
    ttft_ms: call.ttftMs,
    attempt_count: call.attemptCount,
    key_id: call.keyId,
    team_id: call.teamId,
    end_user: call.endUser,
    metadata: call.metadata,
    routing_policy: call.routing?.policy ?? null,
    routing_score: call.routing?.score ?? null,
    routing_threshold: call.routing?.threshold ?? null,
    routing_tier: call.routing?.tier ?? null,
    routing_reason: call.routing?.reason ?? null,
    escalated_from: call.escalatedFrom ?? null,
    unpriced: call.unpriced === true,
    kind: call.kind ?? "COMPLETION",
  };
}

export function toAttemptJsonRow(callId: string, attempt: AttemptRecord): AttemptJsonRow {
  return {
    call_id: callId,
    attempt_index: attempt.index,
    model_group: attempt.modelGroup,
    deployment: attempt.deployment,
    provider: attempt.provider,
    provider_model: attempt.providerModel,
    outcome: attempt.outcome,
    error_kind: attempt.errorKind,
    error_message: attempt.errorMessage,
    http_status: attempt.httpStatus,
    started_at: attempt.startedAt.toISOString(),
    latency_ms: attempt.latencyMs,
    hedged: attempt.hedged,
    prompt_tokens: attempt.promptTokens,
    completion_tokens: attempt.completionTokens,
    cached_tokens: attempt.cachedTokens,
    cache_write_tokens: attempt.cacheWriteTokens ?? 0,
    cost_usd: picoToUsd(attempt.costPico),
  };
}
