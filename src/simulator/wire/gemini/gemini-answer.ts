import type { GeminiAnswer, GeminiAnswerPart } from "../../../providers/gemini/wire/gemini-wire-types.js";
import { type CompletionPlan, planKey } from "../../plan-completion.js";

/**
 * A plan as the Gemini codec's answer: thought summary pieces first when the plan reasons, then
 * its text or function call carrying the thought signature. There is no tool finish reason: a
 * call still finishes with STOP (WIRE §8.1). Thought tokens are counted apart from the candidates'.
 */
export function geminiAnswer(plan: CompletionPlan, candidates = 1): GeminiAnswer {
  const parts: GeminiAnswerPart[] = [];
  const signature = plan.reasoning?.signature;
  if (plan.reasoning !== undefined) parts.push({ type: "thought", pieces: plan.reasoning.pieces });
  const answer: GeminiAnswerPart =
    plan.kind === "text" ? { type: "text", pieces: plan.pieces } : { type: "functionCall", name: plan.name, args: plan.arguments };
  parts.push(signature !== undefined ? { ...answer, thoughtSignature: signature } : answer);
  return {
    ...(candidates > 1 ? { candidates } : {}),
    responseId: planKey(plan),
    modelVersion: plan.model,
    parts,
    finishReason: plan.kind === "text" && plan.finishReason === "length" ? "MAX_TOKENS" : "STOP",
    usage: {
      promptTokenCount: plan.usage.promptTokens,
      candidatesTokenCount: plan.usage.completionTokens,
      cachedContentTokenCount: plan.usage.cachedTokens,
      thoughtsTokenCount: plan.reasoning?.pieces.length ?? 0,
    },
  };
}
