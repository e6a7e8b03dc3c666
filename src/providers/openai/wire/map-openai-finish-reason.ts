import type { Finish, FinishReason } from "../../../core/index.js";

const UNIFIED: Readonly<Record<string, FinishReason>> = {
  stop: "stop",
  length: "length",
  tool_calls: "tool_calls",
  function_call: "tool_calls",
  content_filter: "content_filter",
  // OpenAI-compatible servers: Mistral, OpenRouter, DeepSeek.
  model_length: "length",
  error: "error",
  insufficient_system_resource: "error",
};

// Own keys only: a raw value such as "constructor" must not find Object.prototype.
const lookup = (table: Readonly<Record<string, FinishReason>>, raw: string): FinishReason | undefined =>
  Object.hasOwn(table, raw) ? table[raw] : undefined;

/**
 * OpenAI's `finish_reason` as `{ unified, raw }`; an unknown or missing value counts as `stop`.
 * `extra` (a server's own values) wins over the built-in table.
 */
export function mapOpenAIFinishReason(
  raw: string | null | undefined,
  extra?: Readonly<Record<string, FinishReason>>,
): Finish {
  if (raw === null || raw === undefined) return { unified: "stop", raw: null };
  const unified = (extra !== undefined ? lookup(extra, raw) : undefined) ?? lookup(UNIFIED, raw) ?? "stop";
  return { unified, raw };
}
