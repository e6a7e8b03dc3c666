import type { CompletionPlan } from "../../../simulator/plan-completion.js";
import { renderUsage } from "./render-openai-usage.js";

export const SYSTEM_FINGERPRINT = "fp_simulator";

/** The planned reasoning as compatible servers send it (DeepSeek, vLLM, llama.cpp); OpenAI itself sends none. */
const reasoningField = (plan: CompletionPlan): string =>
  plan.reasoning !== undefined && plan.reasoning.pieces.length > 0 ? `"reasoning_content":${JSON.stringify(plan.reasoning.pieces.join(""))},` : "";

/**
 * A non-streaming `chat.completion` body (WIRE §1.3); `n` > 1 repeats the planned choice, each counted in usage.
 * Planned reasoning goes in `message.reasoning_content`.
 */
export function renderOpenAIBody(plan: CompletionPlan, n = 1): string {
  const message =
    plan.kind === "text"
      ? `{"role":"assistant","content":${JSON.stringify(plan.pieces.join(""))},${reasoningField(plan)}"refusal":null,"annotations":[]}`
      : `{"role":"assistant","content":null,${reasoningField(plan)}"refusal":null,"tool_calls":[{"id":"${plan.toolCallId}","type":"function",` +
        `"function":{"name":${JSON.stringify(plan.name)},"arguments":${JSON.stringify(plan.arguments)}}}],"annotations":[]}`;
  const choices = Array.from({ length: n }, (_, index) => `{"index":${index},"message":${message},"logprobs":null,"finish_reason":"${plan.finishReason}"}`);
  const usage = n === 1 ? plan.usage : { ...plan.usage, completionTokens: plan.usage.completionTokens * n };
  const reasoningTokens = (plan.reasoning?.pieces.length ?? 0) * n;
  return (
    `{"id":"${plan.id}","object":"chat.completion","created":${plan.created},"model":${JSON.stringify(plan.model)},` +
    `"choices":[${choices.join(",")}],` +
    `"usage":${renderUsage(usage, reasoningTokens)},"service_tier":"default","system_fingerprint":"${SYSTEM_FINGERPRINT}"}`
  );
}
