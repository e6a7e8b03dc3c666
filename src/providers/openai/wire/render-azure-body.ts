import type { CompletionPlan } from "../../../simulator/plan-completion.js";
import { SYSTEM_FINGERPRINT } from "./render-openai-body.js";
import { renderUsage } from "./render-openai-usage.js";
import { SAFE_COMPLETION_FILTER, SAFE_PROMPT_FILTER_RESULTS } from "./content-filter-results.js";

/** A chat.completion with Azure's prompt and completion filter verdicts (WIRE §2). */
export function renderAzureBody(plan: CompletionPlan): string {
  const message =
    plan.kind === "text"
      ? `{"role":"assistant","content":${JSON.stringify(plan.pieces.join(""))},"refusal":null}`
      : `{"role":"assistant","content":null,"refusal":null,"tool_calls":[{"id":"${plan.toolCallId}","type":"function",` +
        `"function":{"name":${JSON.stringify(plan.name)},"arguments":${JSON.stringify(plan.arguments)}}}]}`;
  const filter = plan.kind === "text" ? SAFE_COMPLETION_FILTER : "{}";
  return (
    `{"id":"${plan.id}","object":"chat.completion","created":${plan.created},"model":${JSON.stringify(plan.model)},` +
    `"prompt_filter_results":${SAFE_PROMPT_FILTER_RESULTS},` +
    `"choices":[{"index":0,"finish_reason":"${plan.finishReason}","logprobs":null,"message":${message},"content_filter_results":${filter}}],` +
    `"usage":${renderUsage(plan.usage, plan.reasoning?.pieces.length)},"system_fingerprint":"${SYSTEM_FINGERPRINT}"}`
  );
}
