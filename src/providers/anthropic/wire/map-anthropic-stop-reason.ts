import type { Finish, FinishReason } from "../../../core/index.js";

/** WIRE §8.1; `pause_turn` (a server-tool loop paused) is closest to a plain stop. */
const UNIFIED: Readonly<Record<string, FinishReason>> = {
  end_turn: "stop",
  stop_sequence: "stop",
  pause_turn: "stop",
  max_tokens: "length",
  model_context_window_exceeded: "length",
  tool_use: "tool_calls",
  refusal: "content_filter",
};

/** Anthropic's `stop_reason` as `{ unified, raw }`; an unknown or missing value counts as `stop`. */
export function mapAnthropicStopReason(raw: string | null | undefined): Finish {
  if (raw === null || raw === undefined) return { unified: "stop", raw: null };
  return { unified: UNIFIED[raw] ?? "stop", raw };
}
