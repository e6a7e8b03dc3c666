import { type CompletionPlan, type CompletionUsage, planKey, toolCallKey } from "../../plan-completion.js";

/** WIRE §8.1: end_turn, stop_sequence (with the string), max_tokens, tool_use. */
export function anthropicStopReason(plan: CompletionPlan): { reason: string; sequence: string } {
  if (plan.kind === "tool-call") return { reason: "tool_use", sequence: "null" };
  if (plan.finishReason === "length") return { reason: "max_tokens", sequence: "null" };
  if (plan.stopSequence !== undefined) return { reason: "stop_sequence", sequence: JSON.stringify(plan.stopSequence) };
  return { reason: "end_turn", sequence: "null" };
}

/** `input_tokens` excludes cache reads and writes, so input + cache_creation + cache_read = the prompt (WIRE §8.3). */
export function anthropicUsage({ promptTokens, cachedTokens, cacheWriteTokens }: CompletionUsage, outputTokens: number): string {
  return (
    `{"input_tokens":${promptTokens - cachedTokens - cacheWriteTokens},"cache_creation_input_tokens":${cacheWriteTokens},"cache_read_input_tokens":${cachedTokens},` +
    `"output_tokens":${outputTokens},"service_tier":"standard"}`
  );
}

export const anthropicMessageId = (plan: CompletionPlan): string => `msg_${planKey(plan)}`;

/** A non-streaming `message` (WIRE §3.3). */
export function renderAnthropicBody(plan: CompletionPlan): string {
  const content =
    plan.kind === "text"
      ? `{"type":"text","text":${JSON.stringify(plan.pieces.join(""))}}`
      : `{"type":"tool_use","id":"toolu_${toolCallKey(plan)}","name":${JSON.stringify(plan.name)},"input":${plan.arguments}}`;
  const { reason, sequence } = anthropicStopReason(plan);
  return (
    `{"id":"${anthropicMessageId(plan)}","type":"message","role":"assistant","model":${JSON.stringify(plan.model)},"content":[${content}],` +
    `"stop_reason":"${reason}","stop_sequence":${sequence},"usage":${anthropicUsage(plan.usage, plan.usage.completionTokens)}}`
  );
}

export function anthropicGarbageBody(plan: CompletionPlan): string {
  return `{"id":"${anthropicMessageId(plan)}","type":"message","role":"assistant","content":[{"type":"te<<garbage>>`;
}
