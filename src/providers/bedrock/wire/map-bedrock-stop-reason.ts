import type { Finish, FinishReason } from "../../../core/index.js";

const UNIFIED: Readonly<Record<string, FinishReason>> = {
  end_turn: "stop",
  stop_sequence: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_calls",
  guardrail_intervened: "content_filter",
  content_filtered: "content_filter",
  // The model's output could not be used as an answer: nothing in OpenAI's set fits but `error`.
  malformed_model_output: "error",
  malformed_tool_use: "error",
};

/** Bedrock's `stopReason` as `{ unified, raw }` (WIRE §8.1); an unknown or missing value counts as `stop`. */
export function mapBedrockStopReason(raw: string | null | undefined): Finish {
  if (raw === null || raw === undefined) return { unified: "stop", raw: null };
  return { unified: UNIFIED[raw] ?? "stop", raw };
}
