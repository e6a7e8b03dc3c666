import type { Usage } from "../../../core/index.js";

const count = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0);

const field = (parent: unknown, name: string): unknown =>
  typeof parent === "object" && parent !== null ? (parent as Record<string, unknown>)[name] : undefined;

/**
 * Bedrock's `usage` object as a Usage. Bedrock's `inputTokens` counts only the prompt tokens
 * that were neither read from nor written to the prompt cache (AWS's prompt-caching guide:
 * total input = inputTokens + cacheReadInputTokens + cacheWriteInputTokens), so the cache
 * counts are added back: our `inputTokens` is every prompt token. Bedrock reports no
 * reasoning tokens separately; they are inside `outputTokens`.
 */
export function convertBedrockUsage(usage: unknown): Usage {
  const cachedInputTokens = count(field(usage, "cacheReadInputTokens"));
  const cacheWriteTokens = count(field(usage, "cacheWriteInputTokens"));
  return {
    inputTokens: count(field(usage, "inputTokens")) + cachedInputTokens + cacheWriteTokens,
    cachedInputTokens,
    cacheWriteTokens,
    outputTokens: count(field(usage, "outputTokens")),
    reasoningTokens: 0,
  };
}
