import type { Usage } from "../../core/index.js";
import type { CompletionOutcome, StreamChunk } from "../../gateway/completion-types.js";
import { toAttemptView } from "../common/to-attempt-view.js";
import { toRoutingDecisionView } from "../common/routing-decision.type.js";
import { picoToUsd } from "../common/pico-to-usd.js";
import type { FinishReason } from "../common/enums.js";
import { UsageView } from "../common/usage.type.js";
import { Completion, CompletionChunk } from "./completion.type.js";

// The views are filled field by field, not with Object.assign(new View(), { … }): the same object
// (every field is declared by the class, in this order), without a second object per view per request.

export function toUsageView(usage: Usage): UsageView {
  const view = new UsageView();
  view.promptTokens = usage.inputTokens;
  view.completionTokens = usage.outputTokens;
  view.totalTokens = usage.inputTokens + usage.outputTokens;
  view.cachedTokens = usage.cachedInputTokens;
  view.cacheWriteTokens = usage.cacheWriteTokens;
  view.reasoningTokens = usage.reasoningTokens;
  return view;
}

export function toCompletionView(outcome: CompletionOutcome): Completion {
  const { response } = outcome;
  const view = new Completion();
  view.id = outcome.callId;
  view.model = response.model;
  view.modelGroup = outcome.modelGroup;
  view.provider = outcome.provider;
  view.deployment = outcome.deployment;
  view.message = { role: "assistant", content: response.message.content, toolCalls: response.message.toolCalls, reasoning: response.message.reasoning ?? null };
  view.finishReason = response.finish.unified as FinishReason;
  view.rawFinishReason = response.finish.raw;
  view.usage = toUsageView(response.usage);
  view.costUsd = picoToUsd(outcome.costPico);
  view.latencyMs = outcome.latencyMs;
  view.attempts = outcome.attempts.map(toAttemptView);
  view.routing = toRoutingDecisionView(outcome.routing, outcome.routing?.escalatedFrom);
  return view;
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
