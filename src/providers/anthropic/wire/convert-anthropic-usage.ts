import type { Usage } from "../../../core/index.js";

const count = (value: unknown): number => (typeof value === "number" && Number.isFinite(value) && value > 0 ? value : 0);

const field = (parent: unknown, name: string): unknown =>
  typeof parent === "object" && parent !== null ? (parent as Record<string, unknown>)[name] : undefined;

/**
 * Anthropic's `usage` object as a Usage (WIRE §8.3). Anthropic's `input_tokens` leaves out the
 * tokens read from or written to the prompt cache, so all three are added to make the total
 * prompt. Thinking tokens are inside `output_tokens` and not reported apart, so reasoning is 0.
 */
export function convertAnthropicUsage(usage: unknown): Usage {
  const cacheRead = count(field(usage, "cache_read_input_tokens"));
  const cacheWrite = count(field(usage, "cache_creation_input_tokens"));
  return {
    inputTokens: count(field(usage, "input_tokens")) + cacheRead + cacheWrite,
    cachedInputTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    outputTokens: count(field(usage, "output_tokens")),
    reasoningTokens: 0,
  };
}
