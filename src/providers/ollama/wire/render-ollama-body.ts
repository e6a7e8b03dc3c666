import type { CompletionPlan, ToolCallPlan } from "../../../simulator/plan-completion.js";

/** When the answer was made and how long its parts took (the simulator's planned delays). */
export interface OllamaTiming {
  nowMs: number;
  firstTokenMs: number;
  generationMs: number;
}

/** A warm model loads in about a millisecond. */
const LOAD_NS = 1_000_000;

/** Durations are nanoseconds and never 0, so clients dividing by them get a rate. */
const nanos = (ms: number): number => Math.max(1, Math.round(ms * 1_000_000));

/** The fields of the `done:true` object: reason, durations and token counts (WIRE §6.1). */
export function ollamaDoneFields(plan: CompletionPlan, { firstTokenMs, generationMs }: OllamaTiming): string {
  const promptNs = nanos(firstTokenMs);
  const evalNs = nanos(generationMs);
  const reason = plan.kind === "text" && plan.finishReason === "length" ? "length" : "stop";
  return (
    `"done":true,"done_reason":"${reason}","total_duration":${LOAD_NS + promptNs + evalNs},"load_duration":${LOAD_NS},` +
    `"prompt_eval_count":${plan.usage.promptTokens},"prompt_eval_duration":${promptNs},` +
    `"eval_count":${plan.usage.completionTokens + (plan.reasoning?.pieces.length ?? 0)},"eval_duration":${evalNs}`
  );
}

/** A whole call: `arguments` is an object, and classic Ollama sends no call id. */
export const ollamaToolCalls = (plan: ToolCallPlan): string =>
  `"tool_calls":[{"function":{"name":${JSON.stringify(plan.name)},"arguments":${plan.arguments}}}]`;

export const ollamaHead = (plan: CompletionPlan, nowMs: number): string =>
  `{"model":${JSON.stringify(plan.model)},"created_at":"${new Date(nowMs).toISOString()}","message":{"role":"assistant","content":`;

/** `"stream": false`: one object with the whole message (the planned reasoning in `thinking`) and the final fields. */
export function renderOllamaBody(plan: CompletionPlan, context: OllamaTiming): string {
  const reasoning = plan.reasoning?.pieces ?? [];
  const thinking = reasoning.length > 0 ? `,"thinking":${JSON.stringify(reasoning.join(""))}` : "";
  const message = plan.kind === "text" ? `${JSON.stringify(plan.pieces.join(""))}${thinking}}` : `""${thinking},${ollamaToolCalls(plan)}}`;
  return `${ollamaHead(plan, context.nowMs)}${message},${ollamaDoneFields(plan, context)}}`;
}
