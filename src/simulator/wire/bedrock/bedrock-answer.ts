import type { BedrockAnswer, BedrockAnswerBlock } from "../../../providers/bedrock/wire/bedrock-wire-types.js";
import { type CompletionPlan, toolCallKey } from "../../plan-completion.js";
import type { RenderContext } from "../wire-format.js";

/** WIRE §8.1: end_turn, stop_sequence, max_tokens, tool_use. */
function stopReason(plan: CompletionPlan): string {
  if (plan.kind === "tool-call") return "tool_use";
  if (plan.finishReason === "length") return "max_tokens";
  return plan.stopSequence === undefined ? "end_turn" : "stop_sequence";
}

/**
 * A plan as the Bedrock codec's answer: signed reasoning first when the plan reasons (counted in
 * `outputTokens`), then its text or tool call. The latency is the planned time to the last token,
 * never 0, as a real call's never is.
 */
export function bedrockAnswer(plan: CompletionPlan, { firstTokenMs, generationMs }: RenderContext): BedrockAnswer {
  const blocks: BedrockAnswerBlock[] = [];
  if (plan.reasoning !== undefined) blocks.push({ type: "reasoning", pieces: plan.reasoning.pieces, signature: plan.reasoning.signature });
  blocks.push(
    plan.kind === "text"
      ? { type: "text", pieces: plan.pieces }
      : { type: "toolUse", toolUseId: `tooluse_${toolCallKey(plan)}`, name: plan.name, inputPieces: plan.argumentPieces },
  );
  const { promptTokens, cachedTokens, cacheWriteTokens, completionTokens } = plan.usage;
  return {
    blocks,
    stopReason: stopReason(plan),
    usage: {
      inputTokens: promptTokens - cachedTokens - cacheWriteTokens,
      outputTokens: completionTokens + (plan.reasoning?.pieces.length ?? 0),
      cacheReadInputTokens: cachedTokens,
      cacheWriteInputTokens: cacheWriteTokens,
    },
    latencyMs: Math.max(1, Math.round(firstTokenMs + generationMs)),
  };
}
