import type { Usage } from "../../../core/index.js";

const count = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : undefined;

/**
 * The counts on Ollama's final object as a Usage: `prompt_eval_count` is every prompt token,
 * `eval_count` every generated one. Ollama reports no cache or reasoning split. Null when the
 * object carries neither count; a missing one alone (a fully cached prompt may omit
 * `prompt_eval_count`) counts as 0.
 */
export function convertOllamaUsage(final: Record<string, unknown>): Usage | null {
  const input = count(final.prompt_eval_count);
  const output = count(final.eval_count);
  if (input === undefined && output === undefined) return null;
  return { inputTokens: input ?? 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: output ?? 0, reasoningTokens: 0 };
}
