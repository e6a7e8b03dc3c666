import type { Usage } from "../../core/index.js";
import type { CompletionOutcome, StreamChunk } from "../../gateway/completion-types.js";
import { toAttemptView } from "../common/to-attempt-view.js";
import { toRoutingDecisionView } from "../common/routing-decision.type.js";
import { picoToUsd } from "../common/pico-to-usd.js";
import type { FinishReason } from "../common/enums.js";
import { UsageView } from "../common/usage.type.js";
import { Completion, CompletionChunk } from "./completion.type.js";

export function toUsageView(usage: Usage): UsageView {
  return Object.assign(new UsageView(), {
    promptTokens: usage.inputTokens,
    completionTokens: usage.outputTokens,
    totalTokens: usage.inputTokens + usage.outputTokens,
    cachedTokens: usage.cachedInputTokens,
    cacheWriteTokens: usage.cacheWriteTokens,
    reasoningTokens: usage.reasoningTokens,
  });
}

export function toCompletionView(outcome: CompletionOutcome): Completion {
  const { response } = outcome;
  return Object.assign(new Completion(), {
    id: outcome.callId,
    model: response.model,
    modelGroup: outcome.modelGroup,
    provider: outcome.provider,
    deployment: outcome.deployment,
    message: { role: "assistant", content: response.message.content, toolCalls: response.message.toolCalls, reasoning: response.message.reasoning ?? null },
    finishReason: response.finish.unified as FinishReason,
    rawFinishReason: response.finish.raw,
    usage: toUsageView(response.usage),
    costUsd: picoToUsd(outcome.costPico),
    latencyMs: outcome.latencyMs,
    attempts: outcome.attempts.map(toAttemptView),
    routing: toRoutingDecisionView(outcome.routing, outcome.routing?.escalatedFrom),
  });
}

/** Maps a delta or done chunk; error chunks are raised by the resolver instead. */
export function toCompletionChunk(chunk: Exclude<StreamChunk, { kind: "error" }>): CompletionChunk {
  const view = new CompletionChunk();
  view.callId = chunk.callId;
  view.index = chunk.index;
  view.deployment = chunk.deployment;
  view.delta = null;
  view.reasoningDelta = null;
  view.toolCallDeltas = null;
  view.model = null;
  view.finishReason = null;
  view.usage = null;
  view.costUsd = null;
  view.routing = null;
  view.done = false;
  if (chunk.kind === "delta") {
    view.delta = chunk.text ?? null;
    view.reasoningDelta = chunk.reasoning ?? null;
    view.toolCallDeltas = chunk.toolCallDeltas?.map((d) => ({ index: d.index, id: d.id ?? null, name: d.name ?? null, argumentsDelta: d.argumentsDelta })) ?? null;
  } else {
    view.done = true;
    view.model = chunk.model;
    view.finishReason = chunk.finish.unified as FinishReason;
    view.usage = toUsageView(chunk.usage);
    view.costUsd = picoToUsd(chunk.costPico);
    view.routing = toRoutingDecisionView(chunk.routing, chunk.routing?.escalatedFrom);
  }
  return view;
}
