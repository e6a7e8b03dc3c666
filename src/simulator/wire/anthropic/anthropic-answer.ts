import type { AnthropicAnswer, AnthropicAnswerBlock } from "../../../providers/anthropic/wire/anthropic-wire-types.js";
import { type CompletionPlan, planKey, toolCallKey } from "../../plan-completion.js";

export const anthropicMessageId = (plan: CompletionPlan): string => `msg_${planKey(plan)}`;

/** WIRE §8.1: end_turn, stop_sequence (with the string), max_tokens, tool_use. */
function stopReason(plan: CompletionPlan): string {
  if (plan.kind === "tool-call") return "tool_use";
  if (plan.finishReason === "length") return "max_tokens";
  return plan.stopSequence !== undefined ? "stop_sequence" : "end_turn";
}

/**
 * A plan as the Anthropic codec's answer: a signed thinking block first when the plan reasons,
 * then its text or tool call. `input_tokens` excludes cache reads and writes, so input +
 * cache_creation + cache_read = the prompt (WIRE §8.3); thinking counts in `output_tokens`.
 */
export function anthropicAnswer(plan: CompletionPlan): AnthropicAnswer {
  const blocks: AnthropicAnswerBlock[] = [];
  if (plan.reasoning !== undefined) blocks.push({ type: "thinking", pieces: plan.reasoning.pieces, signature: plan.reasoning.signature });
  blocks.push(
    plan.kind === "text"
      ? { type: "text", pieces: plan.pieces }
      : { type: "tool_use", id: `toolu_${toolCallKey(plan)}`, name: plan.name, inputPieces: plan.argumentPieces },
  );
  const { promptTokens, cachedTokens, cacheWriteTokens, completionTokens } = plan.usage;
  const answer: AnthropicAnswer = {
    id: anthropicMessageId(plan),
    model: plan.model,
    blocks,
    stopReason: stopReason(plan),
    usage: {
      input_tokens: promptTokens - cachedTokens - cacheWriteTokens,
      cache_creation_input_tokens: cacheWriteTokens,
      cache_read_input_tokens: cachedTokens,
      output_tokens: completionTokens + (plan.reasoning?.pieces.length ?? 0),
    },
  };
  if (plan.kind === "text" && plan.stopSequence !== undefined) answer.stopSequence = plan.stopSequence;
  return answer;
}
