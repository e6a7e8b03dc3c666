import type { CallRow } from "../../db/index.js";
import { Call } from "./call.type.js";
import type { CallKind, CallStatus } from "../common/enums.js";
import { toRoutingDecisionView } from "../common/routing-decision.type.js";

export function toCallView(row: CallRow): Call {
  return Object.assign(new Call(), {
    id: row.id,
    createdAt: row.createdAt,
    requestedModel: row.requestedModel,
    modelGroup: row.modelGroup,
    provider: row.provider,
    deployment: row.deployment,
    providerModel: row.providerModel,
    status: row.status as CallStatus,
    errorKind: row.errorKind,
    errorMessage: row.errorMessage,
    finishReason: row.finishReason,
    streamed: row.streamed,
    promptTokens: row.promptTokens,
    completionTokens: row.completionTokens,
    cachedTokens: row.cachedTokens,
    cacheWriteTokens: row.cacheWriteTokens,
    costUsd: Number(row.costUsd),
    unpriced: row.unpriced === true,
    kind: (row.kind ?? "COMPLETION") as CallKind,
    costUsdExact: row.costUsd,
    latencyMs: row.latencyMs,
    ttftMs: row.ttftMs,
    attemptCount: row.attemptCount,
    keyId: row.keyId,
    teamId: row.teamId,
    user: row.endUser,
    metadata: row.metadata,
    routing: toRoutingDecisionView(row.routing, row.escalatedFrom),
  });
}
