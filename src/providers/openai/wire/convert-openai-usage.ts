import type { Usage } from "../../../core/index.js";
import type { OpenAIQuirks } from "./openai-quirks.js";

const count = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0);

const field = (parent: unknown, name: string): unknown =>
  typeof parent === "object" && parent !== null ? (parent as Record<string, unknown>)[name] : undefined;

/**
 * OpenAI's `usage` object as a Usage. `prompt_tokens` already includes cached tokens and
 * `completion_tokens` already includes reasoning tokens, so both stay totals here.
 * `quirks.cachedTokensField` names where a server counts cache hits when it has no
 * `prompt_tokens_details.cached_tokens`.
 */
export function convertOpenAIUsage(usage: unknown, quirks?: OpenAIQuirks): Usage {
  const prompt = field(usage, "prompt_tokens_details");
  const completion = field(usage, "completion_tokens_details");
  const cached = field(prompt, "cached_tokens");
  const cachedField = quirks?.cachedTokensField;
  return {
    inputTokens: count(field(usage, "prompt_tokens")),
    cachedInputTokens: count(cached === undefined && cachedField !== undefined ? field(usage, cachedField) : cached),
    cacheWriteTokens: count(field(prompt, "cache_write_tokens")),
    outputTokens: count(field(usage, "completion_tokens")),
    reasoningTokens: count(field(completion, "reasoning_tokens")),
  };
}
