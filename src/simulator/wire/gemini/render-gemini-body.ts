import { type CompletionPlan, type CompletionUsage, planKey, type ToolCallPlan } from "../../plan-completion.js";

/** WIRE §8.1: there is no tool finish reason; a call still finishes with STOP. */
export const geminiFinishReason = (plan: CompletionPlan): string =>
  plan.kind === "text" && plan.finishReason === "length" ? "MAX_TOKENS" : "STOP";

/** Full usage (the last stream chunk and whole bodies); cached tokens only when there are some. */
export function geminiUsage({ promptTokens, completionTokens, cachedTokens }: CompletionUsage): string {
  const cached = cachedTokens > 0 ? `"cachedContentTokenCount":${cachedTokens},` : "";
  return (
    `{"promptTokenCount":${promptTokens},"candidatesTokenCount":${completionTokens},"totalTokenCount":${promptTokens + completionTokens},${cached}` +
    `"promptTokensDetails":[{"modality":"TEXT","tokenCount":${promptTokens}}],"candidatesTokensDetails":[{"modality":"TEXT","tokenCount":${completionTokens}}]}`
  );
}

/** Earlier stream chunks repeat only the prompt's usage (WIRE §4.4). */
export const geminiPromptUsage = ({ promptTokens }: CompletionUsage): string =>
  `{"promptTokenCount":${promptTokens},"totalTokenCount":${promptTokens},"promptTokensDetails":[{"modality":"TEXT","tokenCount":${promptTokens}}]}`;

/** A whole function call: args are an object, and the API sends no call id. */
export const geminiCallPart = (plan: ToolCallPlan): string =>
  `{"functionCall":{"name":${JSON.stringify(plan.name)},"args":${plan.arguments}}}`;

/** One GenerateContentResponse holding `part`; `finish` adds finishReason and the full usage. */
export function geminiResponse(plan: CompletionPlan, part: string, finish: boolean): string {
  const candidate = finish
    ? `{"content":{"parts":[${part}],"role":"model"},"finishReason":"${geminiFinishReason(plan)}","index":0}`
    : `{"content":{"parts":[${part}],"role":"model"},"index":0}`;
  const usage = finish ? geminiUsage(plan.usage) : geminiPromptUsage(plan.usage);
  return `{"candidates":[${candidate}],"usageMetadata":${usage},"modelVersion":${JSON.stringify(plan.model)},"responseId":"${planKey(plan)}"}`;
}

/** A non-streaming generateContent answer (WIRE §4.3); `candidateCount` > 1 repeats the candidate, each counted in usage. */
export function renderGeminiBody(plan: CompletionPlan, candidates = 1): string {
  const part = plan.kind === "text" ? `{"text":${JSON.stringify(plan.pieces.join(""))}}` : geminiCallPart(plan);
  if (candidates === 1) return geminiResponse(plan, part, true);
  const list = Array.from({ length: candidates }, (_, index) => `{"content":{"parts":[${part}],"role":"model"},"finishReason":"${geminiFinishReason(plan)}","index":${index}}`);
  const usage = geminiUsage({ ...plan.usage, completionTokens: plan.usage.completionTokens * candidates });
  return `{"candidates":[${list.join(",")}],"usageMetadata":${usage},"modelVersion":${JSON.stringify(plan.model)},"responseId":"${planKey(plan)}"}`;
}

export function geminiGarbageBody(): string {
  return `{"candidates":[{"content":{"parts":[{"te<<garbage>>`;
}
