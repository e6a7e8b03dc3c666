import type { CompletionUsage } from "../../../simulator/plan-completion.js";

/** The `usage` object with every detail field the real API sends (WIRE §1.3); `completion_tokens` includes the reasoning's. */
export function renderUsage(usage: CompletionUsage, reasoningTokens = 0): string {
  const { promptTokens, cachedTokens } = usage;
  const completionTokens = usage.completionTokens + reasoningTokens;
  return (
    `{"prompt_tokens":${promptTokens},"completion_tokens":${completionTokens},"total_tokens":${promptTokens + completionTokens},` +
    `"prompt_tokens_details":{"cached_tokens":${cachedTokens},"audio_tokens":0},` +
    `"completion_tokens_details":{"reasoning_tokens":${reasoningTokens},"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}`
  );
}
