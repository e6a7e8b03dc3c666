import type { Finish } from "../../../core/index.js";

/**
 * Ollama's `done_reason` as `{ unified, raw }` (WIRE §8.1). Ollama says `stop` after tool
 * calls too, so whether the answer called tools decides between `stop` and `tool_calls`.
 * `load`/`unload` (model management replies) and unknown values count as `stop`.
 */
export function mapOllamaFinishReason(raw: string | null | undefined, calledTools: boolean): Finish {
  const reason = raw === undefined || raw === null || raw === "" ? null : raw;
  if (reason === "length") return { unified: "length", raw: reason };
  return { unified: calledTools ? "tool_calls" : "stop", raw: reason };
}
