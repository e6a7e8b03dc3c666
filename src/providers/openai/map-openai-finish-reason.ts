import type { Finish, FinishReason } from "../../core/index.js";

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

/** OpenAI's `finish_reason` as `{ unified, raw }`; an unknown or missing value counts as `stop`. */
export function mapOpenAIFinishReason(raw: string | null | undefined): Finish {
  if (raw === null || raw === undefined) return { unified: "stop", raw: null };
  return { unified: UNIFIED[raw] ?? "stop", raw };
}
