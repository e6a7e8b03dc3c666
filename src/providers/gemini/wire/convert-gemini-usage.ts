import type { Usage } from "../../../core/index.js";

const count = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0);

/**
 * Gemini's `usageMetadata` as a Usage (WIRE §8.3). `promptTokenCount` already includes the
 * cached tokens; `toolUsePromptTokenCount` (built-in tools such as search) is billed as input
 * but counted apart, so it is added. Thinking tokens are not in `candidatesTokenCount`, so
 * they are added to the output and also reported as reasoning tokens.
 */
export function convertGeminiUsage(usage: Record<string, unknown>): Usage {
  const thoughts = count(usage.thoughtsTokenCount);
  return {
    inputTokens: count(usage.promptTokenCount) + count(usage.toolUsePromptTokenCount),
    cachedInputTokens: count(usage.cachedContentTokenCount),
    cacheWriteTokens: 0,
    outputTokens: count(usage.candidatesTokenCount) + thoughts,
    reasoningTokens: thoughts,
  };
}
