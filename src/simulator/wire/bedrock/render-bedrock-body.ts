import { type CompletionPlan, type CompletionUsage, type ToolCallPlan, toolCallKey } from "../../plan-completion.js";
import type { RenderContext } from "../wire-format.js";

/** WIRE §8.1: end_turn, stop_sequence, max_tokens, tool_use. */
export function bedrockStopReason(plan: CompletionPlan): string {
  if (plan.kind === "tool-call") return "tool_use";
  if (plan.finishReason === "length") return "max_tokens";
  return plan.stopSequence === undefined ? "end_turn" : "stop_sequence";
}

/** `inputTokens` leaves cache reads and writes out, so input + cacheRead + cacheWrite = the prompt (WIRE §8.3). */
export function bedrockUsage({ promptTokens, completionTokens, cachedTokens, cacheWriteTokens }: CompletionUsage): string {
  return (
    `{"inputTokens":${promptTokens - cachedTokens - cacheWriteTokens},"outputTokens":${completionTokens},"totalTokens":${promptTokens + completionTokens},` +
    `"cacheReadInputTokens":${cachedTokens},"cacheWriteInputTokens":${cacheWriteTokens}}`
  );
}

/** The planned time to the last token; never 0, as a real call never is. */
export const bedrockLatencyMs = ({ firstTokenMs, generationMs }: RenderContext): number =>
  Math.max(1, Math.round(firstTokenMs + generationMs));

export const bedrockToolUseId = (plan: ToolCallPlan): string => `tooluse_${toolCallKey(plan)}`;

/** A non-streaming Converse answer (WIRE §5.3). */
export function renderBedrockBody(plan: CompletionPlan, context: RenderContext): string {
  const content =
    plan.kind === "text"
      ? `{"text":${JSON.stringify(plan.pieces.join(""))}}`
      : `{"toolUse":{"toolUseId":"${bedrockToolUseId(plan)}","name":${JSON.stringify(plan.name)},"input":${plan.arguments}}}`;
  return (
    `{"output":{"message":{"role":"assistant","content":[${content}]}},"stopReason":"${bedrockStopReason(plan)}",` +
    `"usage":${bedrockUsage(plan.usage)},"metrics":{"latencyMs":${bedrockLatencyMs(context)}}}`
  );
}

export function bedrockGarbageBody(): string {
  return `{"output":{"message":{"role":"assistant","content":[{"te<<garbage>>`;
}
